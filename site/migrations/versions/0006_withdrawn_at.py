"""withdrawn records keep when and why they were withdrawn

Revision ID: 0006
Revises: 0005

A withdrawn item keeps a public page with the withdrawal notice, its date and the reason staff
gave (snapshot schema version 4, ``withdrawn_items``). Every disclosure table gets the two
columns; records already withdrawn take their last change as the withdrawal time, the best
record of it there is.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

TABLES = ('department', 'service_item', 'channel', 'notice')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column('withdrawn_reason', sa.String(length=200), nullable=False,
                                          server_default=''))
        op.execute(f"UPDATE {table} SET withdrawn_at = updated_at WHERE state = 'withdrawn'")


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('withdrawn_reason')
            batch_op.drop_column('withdrawn_at')
