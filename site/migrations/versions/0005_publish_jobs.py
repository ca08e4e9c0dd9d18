"""publish jobs: publishing runs in the background, each request recorded

Revision ID: 0005
Revises: 0004

A save in the back office no longer rebuilds the site inside the request: it records a publish
job that the queue's worker builds (requests queued while a build runs share the next build).
"""
from alembic import op
import sqlalchemy as sa



revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'publish_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=8), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('run_token', sa.String(length=32), nullable=False),
        sa.Column('build_id', sa.String(length=64), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=True),
        sa.Column('items', sa.Integer(), nullable=True),
        sa.Column('error', sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_publish_job_requested_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_publish_job')),
    )
    with op.batch_alter_table('publish_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publish_job_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_publish_job_run_token'), ['run_token'], unique=False)


def downgrade():
    with op.batch_alter_table('publish_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publish_job_run_token'))
        batch_op.drop_index(batch_op.f('ix_publish_job_state'))
    op.drop_table('publish_job')
