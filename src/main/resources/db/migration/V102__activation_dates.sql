-- Activation follow-up (issue 16 §3), second step.
-- 1. The activation date of an account whose code disappears is the ENT's "Dernière connexion" only when
--    this very write brought it (a newer login than the one stored); a login stored before a reset is
--    older than the activation, so then the import's own time is used. On insert: the login if given.
create or replace function account_activation_stamp() returns trigger
language plpgsql as $$
begin
    if new.activation_code is not null then
        new.activated_at := null;
    elsif tg_op = 'INSERT' then
        new.activated_at := coalesce(new.last_login_at, now());
    elsif new.last_login_at is not null and new.last_login_at is distinct from old.last_login_at then
        new.activated_at := least(new.last_login_at, now());
    else
        new.activated_at := now();
    end if;
    return new;
end
$$;

-- 2. The follow-up page reads a school's accounts by class and profile; "since the last distribution"
--    compares activated_at with the school's last printed letters or campaign. The last distribution
--    of each school, for the super admin's one line per school.
create index letter_job_structure_done on letter_job (structure_id, finished_at) where state = 'done';
