-- Activation follow-up (issue 16 §3). Whatever writes the accounts (the importer, a bulk load, a
-- future importer), the database records when an activation code disappears (the account was
-- activated) or appears again (it was reset): row triggers that fire only on those transitions
-- (their WHEN clause is checked without calling the function), so an import that changes nothing
-- else pays nothing.

alter table account
    -- The ENT export's "Dernière connexion", when the file carries it (else null).
    add column last_login_at timestamptz,
    -- When the account was activated: the last login the export gave when its code disappeared,
    -- else the time of the import that saw it disappear (or first saw it without one).
    add column activated_at  timestamptz;

update account set activated_at = now() where activation_code is null;

create table account_activation_event (
    id           bigserial   primary key,
    account_id   bigint      not null references account (id) on delete cascade,
    structure_id bigint      not null references structure (id) on delete cascade,
    -- activated: the code disappeared; pending: a code appeared (new code after a reset).
    event        text        not null check (event in ('activated', 'pending')),
    seen_at      timestamptz not null default now(),
    activated_at timestamptz
);
create index account_activation_event_structure on account_activation_event (structure_id, seen_at);
create index account_activation_event_account on account_activation_event (account_id, seen_at);

create function account_activation_stamp() returns trigger
language plpgsql as $$
begin
    if new.activation_code is null then
        new.activated_at := coalesce(new.last_login_at, now());
    else
        new.activated_at := null;
    end if;
    return new;
end
$$;

create trigger account_activation_on_insert
    before insert on account
    for each row when (new.activation_code is null)
    execute function account_activation_stamp();

create trigger account_activation_on_change
    before update of activation_code on account
    for each row when ((old.activation_code is null) is distinct from (new.activation_code is null))
    execute function account_activation_stamp();

create function account_activation_record() returns trigger
language plpgsql as $$
begin
    insert into account_activation_event (account_id, structure_id, event, activated_at)
    values (new.id, new.structure_id, case when new.activation_code is null then 'activated' else 'pending' end,
            new.activated_at);
    return null;
end
$$;

create trigger account_activation_event
    after update of activation_code on account
    for each row when ((old.activation_code is null) is distinct from (new.activation_code is null))
    execute function account_activation_record();
