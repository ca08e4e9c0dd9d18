"""complaint lifecycle (decline, reassign, outcome, reopen, satisfaction), online questions

Revision ID: 0004
Revises: 0003

Complaints get the stage deadline (due_on: acceptance, then the answer), the outcome and its
reasons, the reopen count, the complainant's confirmation and whether the problem was solved,
an e-mail and a notification channel, and consent to publish. History events get a note the
complainant sees and who took the step. A rating may be of a complaint (once). Online questions
(网上咨询) get their own table.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('notify_by', sa.String(length=8), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('publish_consent', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('accept_deadline', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('late_answers', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('decline_reason', sa.String(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('outcome', sa.String(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('outcome_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reopen_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('solved', sa.Boolean(), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaint_due_on'), ['due_on'], unique=False)
    # Complaints still owing a response owe it by their answer deadline (no accept stage was kept).
    op.execute("UPDATE complaint SET due_on = deadline WHERE status IN ('received', 'accepted', 'assigned')")

    with op.batch_alter_table('complaint_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('actor', sa.String(length=8), nullable=False, server_default='staff'))

    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complaint_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_rating_complaint_id'), ['complaint_id'])
        batch_op.create_foreign_key(batch_op.f('fk_rating_complaint_id_complaint'), 'complaint',
                                    ['complaint_id'], ['id'])

    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracking_no', sa.String(length=32), nullable=False),
    sa.Column('query_code_hash', sa.String(length=256), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('contact_name', sa.String(length=100), nullable=False),
    sa.Column('contact_phone', sa.String(length=50), nullable=False),
    sa.Column('contact_email', sa.String(length=200), nullable=False),
    sa.Column('notify_by', sa.String(length=8), nullable=False),
    sa.Column('publish_consent', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_by', sa.Integer(), nullable=True),
    sa.Column('decline_reason', sa.String(length=16), nullable=False),
    sa.Column('decline_note', sa.Text(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by'], ['user_account.id'], name=op.f('fk_question_answered_by_user_account')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_question_department_id_department')),
    sa.ForeignKeyConstraint(['item_id'], ['service_item.id'], name=op.f('fk_question_item_id_service_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_question_submission_key')),
    sa.UniqueConstraint('tracking_no', name=op.f('uq_question_tracking_no'))
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_status'), ['status'], unique=False)


def downgrade():
    op.drop_table('question')
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_rating_complaint_id_complaint'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_rating_complaint_id'), type_='unique')
        batch_op.drop_column('complaint_id')
    with op.batch_alter_table('complaint_event', schema=None) as batch_op:
        batch_op.drop_column('actor')
        batch_op.drop_column('public_note')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_due_on'))
        for column in ('solved', 'confirmed_at', 'reopen_count', 'outcome_note', 'outcome', 'decline_reason',
                       'closed_at', 'answered_at', 'late_answers', 'due_on', 'accept_deadline',
                       'publish_consent', 'notify_by', 'contact_email'):
            batch_op.drop_column(column)
