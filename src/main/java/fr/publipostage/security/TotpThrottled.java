package fr.publipostage.security;

/**
 * Too many wrong TOTP codes for this admin lately ({@link SecondFactor#MAX_FAILURES} within
 * {@link SecondFactor#WINDOW_MINUTES} minutes): no code is checked for {@link #waitSeconds()} more.
 */
public final class TotpThrottled extends RuntimeException {
    private final long waitSeconds;

    public TotpThrottled(long waitSeconds) {
        super("too many wrong codes; wait " + waitSeconds + " s", null, false, false);
        this.waitSeconds = waitSeconds;
    }

    public long waitSeconds() {
        return waitSeconds;
    }

    /** The wait in whole minutes, rounded up (what the admin is told). */
    public long waitMinutes() {
        return (waitSeconds + 59) / 60;
    }
}
