package fr.publipostage.web;

import fr.publipostage.Config;
import fr.publipostage.Setting;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * The client's address behind reverse proxies ({@code PUBLIPOSTAGE_TRUSTED_PROXIES}): the login throttle
 * and the logs count it. {@code X-Forwarded-For} is believed only when the connection comes from a
 * trusted proxy; then the client is the right-most address of the chain that is not a trusted proxy
 * (everything to its left may have been written by the client itself). Address ranges are Jetty's
 * {@link InetAddressSet} (single addresses, CIDR, IPv4 and IPv6).
 */
public final class ClientAddress {
    private static final String ATTRIBUTE = "publipostage.clientAddress";
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final InetAddressSet trusted = new InetAddressSet();
    private final boolean any;

    private ClientAddress(List<String> patterns) {
        for (String p : patterns) trusted.add(p);
        this.any = !patterns.isEmpty();
    }

    /** From the setting: addresses or CIDR ranges separated by commas or spaces. */
    public static ClientAddress from(Config config) {
        String text = config.get(Setting.TRUSTED_PROXIES).trim();
        List<String> patterns = new ArrayList<>();
        for (String p : text.split("[,\\s]+")) {
            if (p.isBlank()) continue;
            if (!p.matches("[0-9a-fA-F:.]+(/[0-9]{1,3})?")) {
                throw new Config.ConfigException(Setting.TRUSTED_PROXIES.envName
                        + " must list IP addresses or CIDR ranges (e.g. 127.0.0.1, 10.0.0.0/8), got \"" + p + "\"");
            }
            patterns.add(p);
        }
        try {
            return new ClientAddress(patterns);
        } catch (IllegalArgumentException e) {
            throw new Config.ConfigException(Setting.TRUSTED_PROXIES.envName + ": " + e.getMessage());
        }
    }

    /** Resolves and remembers the request's client address (called first for every request). */
    void resolve(Context ctx) {
        ctx.attribute(ATTRIBUTE, clientOf(ctx.req().getRemoteAddr(), Collections.list(ctx.req().getHeaders("X-Forwarded-For"))));
    }

    /** The client's address of this request. */
    public static String of(Context ctx) {
        String resolved = ctx.attribute(ATTRIBUTE);
        return resolved != null ? resolved : ctx.req().getRemoteAddr();
    }

    /** {@code peer}: the connection's address; {@code forwardedFor}: every X-Forwarded-For header, in order. */
    String clientOf(String peer, List<String> forwardedFor) {
        if (!any || !isTrusted(peer)) return peer;
        List<String> chain = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) if (!hop.isBlank()) chain.add(hop.strip());
        }
        String client = peer;
        for (int i = chain.size() - 1; i >= 0; i--) {
            String hop = chain.get(i);
            // Not an address (a port, garbage): the hop that wrote it is the last one we can vouch for.
            if (!IP_LITERAL.matcher(hop).matches()) return client;
            client = hop;
            if (!isTrusted(hop)) return hop;
        }
        return client;
    }

    private boolean isTrusted(String address) {
        if (address == null || !IP_LITERAL.matcher(address).matches()) return false;
        try {
            // A literal: parsed, never looked up.
            return trusted.test(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
