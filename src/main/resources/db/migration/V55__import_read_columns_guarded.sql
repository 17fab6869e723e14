-- Imports at region scale (issue 11): the read columns of V3 are refreshed for a set of accounts (those
-- an import changed, or every account of some schools) in one set-based statement, and a row whose read
-- columns are already right is not written again, so re-importing an unchanged file rewrites no row (its
-- xmin stays). Returns how many rows it wrote.
create function refresh_account_read_columns_of(p_accounts bigint[]) returns integer
language sql as $$
    with scope as (
        select a.id, a.level from account a join unnest(p_accounts) as u(id) on u.id = a.id
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
    ), computed as (
        select s.id,
               array(select n from unnest(oc.names) n order by n collate "fr-x-icu") as classes,
               (select n from unnest(oc.names) n order by n collate "fr-x-icu" limit 1) as sort_class,
               array(select distinct l from unnest(coalesce(oc.levels, '{}') || s.level) l
                     where l is not null order by l) as levels,
               coalesce(k.names, '{}') as children
        from scope s
        left join own_classes oc on oc.account_id = s.id
        left join kids k on k.parent_id = s.id
    ), changed as (
        update account a
        set classes = c.classes, sort_class = c.sort_class, levels = c.levels, children = c.children
        from computed c
        where a.id = c.id
          and (a.classes, a.sort_class, a.levels, a.children)
              is distinct from (c.classes, c.sort_class, c.levels, c.children)
        returning 1
    )
    select count(*)::integer from changed;
$$;

-- Every account of these structures.
create function refresh_account_read_columns(p_structures bigint[]) returns integer
language sql as $$
    select refresh_account_read_columns_of(array(select id from account where structure_id = any(p_structures)));
$$;

-- The one-structure form of V3 (null = every structure) keeps its signature and is now guarded too.
create or replace function refresh_account_read_columns(p_structure bigint) returns void
language sql as $$
    select refresh_account_read_columns(
        case when p_structure is null then array(select id from structure) else array[p_structure] end);
$$;
