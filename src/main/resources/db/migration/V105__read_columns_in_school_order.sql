-- Issues 11 and 13 together. V55 (imports at region scale) made the read columns' refresh set-based and
-- guarded (a row already right is not written again); V75 (French that reads right) added school_rank
-- and sort_rank. This is the one refresh both need: V55's guarded, set-based form with the classes and
-- levels in school order and sort_rank. The import's
-- insert of new accounts (ImportMapper.xml, insertAccounts) computes the same columns the same way.
create or replace function refresh_account_read_columns_of(p_accounts bigint[]) returns integer
language sql as $$
    with scope as (
        select a.id, a.level from account a join unnest(p_accounts) as u(id) on u.id = a.id
    ), classes as (
        select distinct ec.account_id, c.name, c.level, least(school_rank(c.level), school_rank(c.name)) as rank
        from account_effective_class ec
        join scope s on s.id = ec.account_id
        join school_class c on c.id = ec.class_id
    ), own_classes as (
        select account_id, array_agg(name order by rank, name collate fr_natural) as names, min(rank) as rank,
               array_agg(distinct level) filter (where level is not null) as levels
        from classes
        group by account_id
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
               coalesce(oc.names, '{}') as classes,
               oc.names[1] as sort_class,
               oc.rank as sort_rank,
               array(select l from (select distinct l from unnest(coalesce(oc.levels, '{}') || s.level) l
                                    where l is not null) d
                     order by school_rank(l), l collate fr_natural) as levels,
               coalesce(k.names, '{}') as children
        from scope s
        left join own_classes oc on oc.account_id = s.id
        left join kids k on k.parent_id = s.id
    ), changed as (
        update account a
        set classes = c.classes, sort_class = c.sort_class, sort_rank = c.sort_rank, levels = c.levels,
            children = c.children
        from computed c
        where a.id = c.id
          and (a.classes, a.sort_class, a.sort_rank, a.levels, a.children)
              is distinct from (c.classes, c.sort_class, c.sort_rank, c.levels, c.children)
        returning 1
    )
    select count(*)::integer from changed;
$$;

-- The one-structure form (null = every structure) goes through it again, as V55 had it.
create or replace function refresh_account_read_columns(p_structure bigint) returns void
language sql as $$
    select refresh_account_read_columns(
        case when p_structure is null then array(select id from structure) else array[p_structure] end);
$$;

select refresh_account_read_columns(null::bigint);
