package fr.publipostage.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.publipostage.Config;
import fr.publipostage.Setting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private static ClientAddress trusting(String proxies) {
        return ClientAddress.from(Config.of(Map.of(Setting.TRUSTED_PROXIES, proxies)));
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        ClientAddress none = trusting("");
        assertThat(none.clientOf("203.0.113.7", List.of("198.51.100.1"))).isEqualTo("203.0.113.7");
        assertThat(none.clientOf("127.0.0.1", List.of("198.51.100.1"))).isEqualTo("127.0.0.1");
    }

    @Test
    void theHeaderCountsOnlyWhenTheConnectionComesFromATrustedProxy() {
        ClientAddress nginx = trusting("127.0.0.1, 10.0.0.0/8");
        assertThat(nginx.clientOf("127.0.0.1", List.of("198.51.100.1"))).isEqualTo("198.51.100.1");
        // A client talking to the application directly cannot choose his address.
        assertThat(nginx.clientOf("203.0.113.7", List.of("198.51.100.1"))).isEqualTo("203.0.113.7");
    }

    @Test
    void theRightMostUntrustedAddressIsTheClient() {
        ClientAddress proxies = trusting("10.0.0.0/8 127.0.0.1");
        // The client wrote "1.2.3.4" himself; 198.51.100.1 is who reached our first proxy (10.0.0.5).
        assertThat(proxies.clientOf("127.0.0.1", List.of("1.2.3.4, 198.51.100.1, 10.0.0.5"))).isEqualTo("198.51.100.1");
        assertThat(proxies.clientOf("127.0.0.1", List.of("1.2.3.4", "198.51.100.1, 10.0.0.5"))).isEqualTo("198.51.100.1");
        // Only proxies: the left-most.
        assertThat(proxies.clientOf("127.0.0.1", List.of("10.1.1.1, 10.0.0.5"))).isEqualTo("10.1.1.1");
        // Garbage where an address should be: the last hop we can vouch for.
        assertThat(proxies.clientOf("127.0.0.1", List.of("evil.example, 10.0.0.5"))).isEqualTo("10.0.0.5");
        assertThat(proxies.clientOf("127.0.0.1", List.of())).isEqualTo("127.0.0.1");
    }

    @Test
    void ipv6Ranges() {
        ClientAddress v6 = trusting("::1, fd00::/8");
        assertThat(v6.clientOf("0:0:0:0:0:0:0:1", List.of("2001:db8::7, fd00::3"))).isEqualTo("2001:db8::7");
    }

    @Test
    void aBadSettingIsRefusedWithItsName() {
        assertThatThrownBy(() -> trusting("10.0.0.0/8, proxy.example")).isInstanceOf(Config.ConfigException.class)
                .hasMessageContaining("PUBLIPOSTAGE_TRUSTED_PROXIES");
        assertThatThrownBy(() -> trusting("10.0.0.0/99")).isInstanceOf(Config.ConfigException.class)
                .hasMessageContaining("PUBLIPOSTAGE_TRUSTED_PROXIES");
    }
}
