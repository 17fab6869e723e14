package fr.publipostage.security;

/**
 * Refused access to a structure: {@link #notFound()} when it does not exist (404), {@link
 * #forbidden()} when it exists but is not the admin's (403). Neither carries any of its data.
 */
public final class AccessDenied extends RuntimeException {
    public enum Kind { NOT_FOUND, FORBIDDEN }

    private final Kind kind;

    private AccessDenied(Kind kind) {
        super(kind.name(), null, false, false);
        this.kind = kind;
    }

    public static AccessDenied notFound() {
        return new AccessDenied(Kind.NOT_FOUND);
    }

    public static AccessDenied forbidden() {
        return new AccessDenied(Kind.FORBIDDEN);
    }

    public Kind kind() {
        return kind;
    }
}
