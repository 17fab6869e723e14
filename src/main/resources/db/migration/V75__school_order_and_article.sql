-- Issue 13 (French that reads right).
-- 1. A school's name with its French article ("le Lycée Montesquieu", "l’École …"), from which texts say
--    "du Lycée Montesquieu". Null: derived from the name when read (directory.SchoolNames); the importer
--    stores the derived one when it creates or renames a structure, unless the school's admin corrected
--    it (name_with_article_custom), which then stays.
alter table structure add column name_with_article text,
                      add column name_with_article_custom boolean not null default false;

-- 2. Levels and classes in the order of a French school: 6e 5e 4e 3e, Seconde Première Terminale, then
--    the others. school_rank mirrors directory.SchoolOrder (SchoolOrderIT checks they agree); within a
--    rank, names compare the French way with numbers as numbers ("2nde 2" before "2nde 10").
create collation if not exists fr_natural (provider = icu, locale = 'fr-u-kn-true');

create function school_rank(p text) returns integer
language sql immutable parallel safe as $$
    select case
        when s is null then 100
        when s ~ '^(6|6e|6eme|sixieme)([^0-9].*)?$' or s ~ '^6[0-9]{2}$' then 1
        when s ~ '^(5|5e|5eme|cinquieme)([^0-9].*)?$' or s ~ '^5[0-9]{2}$' then 2
        when s ~ '^(4|4e|4eme|quatrieme)([^0-9].*)?$' or s ~ '^4[0-9]{2}$' then 3
        when s ~ '^(3|3e|3eme|troisieme)([^0-9].*)?$' or s ~ '^3[0-9]{2}$' then 4
        when s ~ '^(seconde|2nde|2de|2nd|2e|2eme|2)([^0-9].*)?$' then 5
        when s ~ '^(premiere|1ere|1re|1er|1e|1)([^0-9].*)?$' then 6
        when s ~ '^(terminale|term|tle|tale|t)([^a-z].*)?$'
          or s ~ '^t(g|stmg|sti2d|st2s|stl|std2a|stav|s|es|l|pro|bp)[ 0-9-].*$' then 7
        else 100
    end
    from (select lower(translate(btrim(p),
        'ÀÂÄÁÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÇàâäáãéèêëíìîïóòôöõúùûüç',
        'AAAAAEEEEIIIIOOOOOUUUUCaaaaaeeeeiiiiooooouuuuc')) as s) folded
$$;

-- The check table's class sort and the print order by class follow it: the rank of an account's first
-- class (its level's rank when the class has a level, else its name's) is kept beside sort_class.
alter table account add column sort_rank integer;

create or replace function refresh_account_read_columns(p_structure bigint) returns void
language sql as $$
    with scope as (
        select id from account where p_structure is null or structure_id = p_structure
    ), classes as (
        select distinct ec.account_id, c.name, c.level,
               least(school_rank(c.level), school_rank(c.name)) as rank
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
    )
    update account a
    set classes    = coalesce(oc.names, '{}'),
        sort_class = oc.names[1],
        sort_rank  = oc.rank,
        levels     = array(select l from (select distinct l from unnest(coalesce(oc.levels, '{}') || a.level) l
                                              where l is not null) d
                           order by school_rank(l), l collate fr_natural),
        children   = coalesce(k.names, '{}')
    from scope s
    left join own_classes oc on oc.account_id = s.id
    left join kids k on k.parent_id = s.id
    where a.id = s.id;
$$;

select refresh_account_read_columns(null::bigint);
