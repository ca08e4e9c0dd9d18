"""attachments stored by content hash, and roles in further departments

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('media_type', sa.String(length=100), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['department_id'], ['department.id']),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('sha256'),
    )
    op.create_index('ix_attachment_department_id', 'attachment', ['department_id'], unique=False)
    op.create_table(
        'user_grant',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'role', 'department_id', name='uq_user_grant'),
    )
    op.create_index('ix_user_grant_user_id', 'user_grant', ['user_id'], unique=False)


def downgrade():
    op.drop_index('ix_user_grant_user_id', table_name='user_grant')
    op.drop_table('user_grant')
    op.drop_index('ix_attachment_department_id', table_name='attachment')
    op.drop_table('attachment')
