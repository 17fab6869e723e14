-- One lease engine for every kind of background work (jobs/Leases): letter jobs and campaign
-- batches are claimed under a lease whose epoch, with its owner, is the fencing token that every
-- write and delete of their results, parts and ledger rows carries (lease_holds below).

create table work_lease (
    -- The epoch: every claim gets a new, larger one, so a token can never be confused with a later one.
    epoch       bigserial   primary key,
    owner       text        not null,            -- the instance holding it (App.instanceId)
    kind        text        not null,            -- 'letter-job', 'mail'
    subject     bigint      not null,            -- the letter job's or the campaign's id
    -- Sized from the work's own deadline; each renewal moves expires_at to now() + duration.
    duration_ms integer     not null check (duration_ms > 0),
    acquired_at timestamptz not null default now(),
    renewed_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    -- Set when the owner hands it back, or when another instance takes it over after expiry.
    released_at timestamptz
);
create index work_lease_owner on work_lease (owner) where released_at is null;
create index work_lease_expiry on work_lease (kind, expires_at) where released_at is null;
create index work_lease_released on work_lease (released_at) where released_at is not null;

-- The fence. True while the lease is live and its owner's; the row is locked FOR SHARE until the
-- caller's statement commits, so a takeover or a release (an UPDATE of the row) waits for a fenced
-- write in flight, and a fenced write that comes after them sees released_at and changes nothing.
create function lease_holds(p_epoch bigint, p_owner text) returns boolean
    language sql volatile
as $$
    select exists (select 1 from work_lease
                   where epoch = p_epoch and owner = p_owner and released_at is null and expires_at > now()
                   for share)
$$;

-- Work held under the old model (an upgrade while it ran) goes back to its queue.
update letter_job set state = 'queued', worker = null where state = 'running';
delete from letter_job_part where job_id in (select id from letter_job where state = 'queued');
update mail_recipient set status = 'pending', claimed_by = null where status = 'sending';

-- Letter jobs: the lease they run under, and their result parts stamped with it (a download reads
-- only the parts of the epoch that finished the job).
alter table letter_job add column lease_epoch bigint;
alter table letter_job_part add column epoch bigint not null default 0;
alter table letter_job_part drop constraint letter_job_part_pkey;
alter table letter_job_part add primary key (job_id, epoch, seq);

-- Campaign rows: the lease of the batch that holds them while 'sending' (it replaces lease_until).
alter table mail_recipient add column lease_epoch bigint;
drop index mail_recipient_sending;
alter table mail_recipient drop column lease_until;
create index mail_recipient_sending on mail_recipient (lease_epoch) where status = 'sending';
