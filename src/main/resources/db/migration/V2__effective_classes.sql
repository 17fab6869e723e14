-- A parent belongs to the classes of his children: "parents of 2nde 3" is a selection the office makes.
-- UNION ALL (not UNION) so that a filter on account_id is pushed into both branches and uses their
-- indexes; the rare duplicate (two children in one class) is harmless in EXISTS.
create view account_effective_class as
    select account_id, class_id from account_class
    union all
    select r.parent_id, ac.class_id from account_relative r join account_class ac on ac.account_id = r.child_id;
