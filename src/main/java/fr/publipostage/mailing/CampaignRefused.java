package fr.publipostage.mailing;

/** An action the campaign's state does not allow. {@code key} is an i18n key (campaign.refused.*). */
public final class CampaignRefused extends RuntimeException {
    private final String key;

    public CampaignRefused(String key) {
        super(key);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
