package fr.publipostage.security;

/** What an admin is in one structure. */
public enum Role {
    /** Every structure, every account. */
    SUPER_ADMIN,
    /** His structures; never the accounts carrying the SUPER_ADMIN function. */
    LOCAL_ADMIN,
    /** Only the pupils and parents of his own classes (admin_class), the form tutor who hands letters out in class. */
    CLASS_TEACHER
}
