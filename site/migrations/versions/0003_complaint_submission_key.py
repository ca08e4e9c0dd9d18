"""complaint submission key: a refreshed or double-clicked form files one complaint

Revision ID: 0003
Revises: 0002

Each rendering of the complaint form carries a random submission key; the first post with that key
files the complaint, a repeat finds it (unique index) and shows the same receipt.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_complaint_submission_key'), ['submission_key'])


def downgrade():
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_complaint_submission_key'), type_='unique')
        batch_op.drop_column('submission_key')
