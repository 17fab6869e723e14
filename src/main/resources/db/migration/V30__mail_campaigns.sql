-- E-mail campaigns: the campaign and its ledger, one row per selected account (DESIGN.md §2).

create table mail_campaign (
    id                bigserial primary key,
    -- Random part of every Message-ID of the campaign: unique across databases, stable across retries.
    token             uuid        not null default gen_random_uuid() unique,
    structure_id      bigint      not null references structure (id) on delete cascade,
    created_by        text        not null,
    created_at        timestamptz not null default now(),
    status            text        not null default 'running'
                      check (status in ('running', 'paused', 'cancelled', 'finished')),
    status_changed_at timestamptz not null default now(),
    status_changed_by text,
    finished_at       timestamptz,
    -- What was asked: the Selection and the viewer's Scope, as JSON, and the templates used.
    selection         jsonb       not null,
    scope             jsonb       not null,
    template_versions jsonb       not null default '{}',
    -- Messages per minute for this campaign, all instances together; 0 = no limit.
    rate_per_minute   integer     not null default 0 check (rate_per_minute >= 0),
    from_address      text        not null,
    sandbox           boolean     not null default false
);
create index mail_campaign_structure on mail_campaign (structure_id, created_at desc);
create index mail_campaign_running on mail_campaign (id) where status = 'running';

create table mail_recipient (
    id              bigserial primary key,
    campaign_id     bigint      not null references mail_campaign (id) on delete cascade,
    -- Order of the selection (the check step's order).
    position        integer     not null,
    account_id      bigint      references account (id) on delete set null,
    -- Who, as selected: kept even if the account changes or disappears later.
    login           text        not null,
    last_name       text        not null,
    first_name      text        not null,
    profile         text        not null,
    classes         text        not null default '',
    kind            text        not null check (kind in ('activation', 'reminder')),
    language        varchar(2)  not null,
    -- The account as selected, from which the message is composed (retries and resends send the same).
    snapshot        jsonb       not null,
    address         text,
    status          text        not null
                    check (status in ('pending', 'sending', 'sent', 'failed', 'skipped', 'cancelled')),
    -- skipped: no-email | blocked; failed: why; pending after a temporary error: the last error.
    reason          text,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_attempt_at timestamptz,
    -- While 'sending': which instance holds the row, until when (then another instance takes it back).
    claimed_by      text,
    lease_until     timestamptz,
    sent_at         timestamptz,
    sent_by         text,
    smtp_reply      text,
    message_id      text,
    resends         integer     not null default 0,
    unique (campaign_id, position)
);
-- Claiming: the next pending rows of a campaign whose time has come.
create index mail_recipient_claim on mail_recipient (campaign_id, next_attempt_at, id) where status = 'pending';
-- Taking back rows of dead instances.
create index mail_recipient_sending on mail_recipient (lease_until) where status = 'sending';
-- The campaign's rate window and the progress counts.
create index mail_recipient_attempt on mail_recipient (campaign_id, last_attempt_at);
create index mail_recipient_status on mail_recipient (campaign_id, status);
