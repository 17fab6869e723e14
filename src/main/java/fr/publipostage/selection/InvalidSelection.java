package fr.publipostage.selection;

/** A filter or sort value outside its fixed list. {@code key} is an i18n message key, {@code value} what was sent. */
public final class InvalidSelection extends RuntimeException {
    private final String key;
    private final String parameter;
    private final String value;

    public InvalidSelection(String key, String parameter, String value) {
        super(parameter + "=" + value + " (" + key + ")");
        this.key = key;
        this.parameter = parameter;
        this.value = value;
    }

    public String key() {
        return key;
    }

    public String parameter() {
        return parameter;
    }

    public String value() {
        return value;
    }
}
