package fr.publipostage.customisation;

/**
 * Whose letter or mail a preview shows: the synthetic worst case (still to activate, or activated),
 * or a real account of the structure.
 */
public record Sample(Kind kind, Long accountId) {
    public enum Kind { WORST_PENDING, WORST_ACTIVATED, ACCOUNT }

    public static final Sample WORST_PENDING = new Sample(Kind.WORST_PENDING, null);
    public static final Sample WORST_ACTIVATED = new Sample(Kind.WORST_ACTIVATED, null);

    public static Sample account(long id) {
        return new Sample(Kind.ACCOUNT, id);
    }

    /**
     * Reads the editor's and the CLI's notation: {@code worst}, {@code worst-activated} or an account id.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Sample parse(String text) {
        if (text == null || text.isBlank() || text.equals("worst")) return WORST_PENDING;
        if (text.equals("worst-activated")) return WORST_ACTIVATED;
        if (text.matches("[0-9]{1,18}")) return account(Long.parseLong(text));
        throw new IllegalArgumentException("sample: worst, worst-activated or an account id");
    }
}
