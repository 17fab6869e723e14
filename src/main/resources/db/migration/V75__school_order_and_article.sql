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

-- It is computed, with the classes and levels in this order, by the read-column refresh of V105 (which
-- also fills it for the accounts already there).
