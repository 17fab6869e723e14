-- A parent belongs to the classes of his children: "parents of 2nde 3" is a selection the office makes.
create view account_effective_class as
    select account_id, class_id from account_class
    union
    select r.parent_id, ac.class_id from account_relative r join account_class ac on ac.account_id = r.child_id;
