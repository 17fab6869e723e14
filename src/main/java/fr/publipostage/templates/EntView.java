package fr.publipostage.templates;

/**
 * {@code $ent}: the addresses of the school's ENT. {@code activationUrl} is where a new account is
 * activated, {@code resetUrl} where a lost password is reset.
 */
public final class EntView implements TemplateView {
    private final String url;

    public EntView(String entUrl) {
        String u = entUrl == null || entUrl.isBlank() ? "https://ent.example.fr" : entUrl.trim();
        this.url = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    public String getUrl() {
        return url;
    }

    public String getActivationUrl() {
        return url + "/auth/activation";
    }

    public String getResetUrl() {
        return url + "/auth/forgot";
    }

    @Override
    public String toString() {
        return url;
    }
}
