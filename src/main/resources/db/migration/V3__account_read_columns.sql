-- Read-side copies of what the check table shows for each account, so that selecting a school's
-- 3,000 accounts is one index scan and a sort, without four correlated subqueries per row
-- (measured: ~120 ms → see bench/README.md). Written only by refresh_account_read_columns(), which
-- the importer calls in the same transaction as its writes; account_class and account_relative
-- stay the source of truth.
alter table account
    add column classes    text[] not null default '{}',  -- own classes; a parent's: his children's
    add column levels     text[] not null default '{}',  -- own level and the levels of those classes
    add column children   text[] not null default '{}',  -- "First Last" of a parent's children
    add column sort_class text;                            -- first of classes in French order

-- Set-based (one aggregate per relation, no correlated subquery per row), so it serves an import of
-- one school and a bulk load of a million accounts alike (p_structure null = every structure).
create function refresh_account_read_columns(p_structure bigint) returns void
language sql as $$
    with scope as (
        select id from account where p_structure is null or structure_id = p_structure
    ), own_classes as (
        select ec.account_id, array_agg(distinct c.name) as names,
               array_agg(distinct c.level) filter (where c.level is not null) as levels
        from account_effective_class ec
        join scope s on s.id = ec.account_id
        join school_class c on c.id = ec.class_id
        group by ec.account_id
    ), kids as (
        select r.parent_id,
               array_agg(ch.first_name || ' ' || ch.last_name
                         order by ch.last_name collate "fr-x-icu", ch.first_name collate "fr-x-icu") as names
        from account_relative r
        join scope s on s.id = r.parent_id
        join account ch on ch.id = r.child_id
        group by r.parent_id
    )
    update account a
    set classes    = array(select n from unnest(oc.names) n order by n collate "fr-x-icu"),
        sort_class = (select n from unnest(oc.names) n order by n collate "fr-x-icu" limit 1),
        levels     = array(select distinct l from unnest(coalesce(oc.levels, '{}') || a.level) l
                           where l is not null order by l),
        children   = coalesce(k.names, '{}')
    from scope s
    left join own_classes oc on oc.account_id = s.id
    left join kids k on k.parent_id = s.id
    where a.id = s.id;
$$;
