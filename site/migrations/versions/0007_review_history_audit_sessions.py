"""review workflow, revisions, audit log and server-side sessions

Revision ID: 0007
Revises: 0006

Disclosure records get the review state of their working copy, the version a form is based on
(lost updates are refused), and scheduled publishing/expiry dates; every save is kept as a
``revision``; ``audit_entry`` is the append-only audit log; ``user_session`` makes back-office
sessions revocable. Existing records start with no revision (edit_version 0): their first save
writes revision 1.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

TABLES = ('department', 'service_item', 'channel', 'notice')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('review_state', sa.String(length=16), nullable=False, server_default=''))
            batch_op.add_column(sa.Column('review_note', sa.Text(), nullable=False, server_default=''))
            batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column('edit_version', sa.Integer(), nullable=False, server_default='0'))
            batch_op.add_column(sa.Column('publish_on', sa.Date(), nullable=True))
            batch_op.add_column(sa.Column('expire_on', sa.Date(), nullable=True))
            batch_op.create_index(f'ix_{table}_review_state', ['review_state'], unique=False)
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        'revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('record_type', sa.String(length=32), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('major', sa.Boolean(), nullable=False),
        sa.Column('published_as', sa.Integer(), nullable=True),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('note_correction_reason', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('record_type', 'record_id', 'number', name='uq_revision_number'),
    )
    op.create_table(
        'audit_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('target_type', sa.String(length=32), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=True),
        sa.Column('summary', sa.String(length=300), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_audit_entry_at', 'audit_entry', ['at'], unique=False)
    op.create_index('ix_audit_entry_department_id', 'audit_entry', ['department_id'], unique=False)
    op.create_index('ix_audit_entry_action_at', 'audit_entry', ['action', 'at'], unique=False)
    op.create_index('ix_audit_entry_username_at', 'audit_entry', ['username', 'at'], unique=False)
    op.create_index('ix_audit_entry_address_at', 'audit_entry', ['address', 'at'], unique=False)
    op.create_table(
        'user_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('end_reason', sa.String(length=32), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('user_agent', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index('ix_user_session_user_id', 'user_session', ['user_id'], unique=False)


def downgrade():
    op.drop_index('ix_user_session_user_id', table_name='user_session')
    op.drop_table('user_session')
    for name in ('ix_audit_entry_address_at', 'ix_audit_entry_username_at', 'ix_audit_entry_action_at',
                 'ix_audit_entry_department_id', 'ix_audit_entry_at'):
        op.drop_index(name, table_name='audit_entry')
    op.drop_table('audit_entry')
    op.drop_table('revision')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('password_changed_at')
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_review_state')
            for column in ('expire_on', 'publish_on', 'edit_version', 'submitted_at', 'review_note', 'review_state'):
                batch_op.drop_column(column)
