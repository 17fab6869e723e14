package fr.publipostage.directory;

import java.util.ArrayList;
import java.util.List;

/**
 * A person's postal address as it was imported (the original text, never rewritten): up to four
 * delivery lines (apartment, building, number and street, PO box or place name — in any order; the
 * letter puts them in NF Z 10-011 order), postcode, city (a CEDEX city included: "Bordeaux Cedex 9")
 * and country (empty = France). {@link PostalRules} checks it and gives the printed, normalised lines.
 */
public record PostalAddress(String line1, String line2, String line3, String line4, String postcode, String city,
                            String country) {

    public PostalAddress {
        line1 = blankToNull(line1);
        line2 = blankToNull(line2);
        line3 = blankToNull(line3);
        line4 = blankToNull(line4);
        postcode = blankToNull(postcode);
        city = blankToNull(city);
        country = blankToNull(country);
    }

    /** An address with only the two lines of the native import format. */
    public static PostalAddress of(String line1, String line2, String postcode, String city, String country) {
        return new PostalAddress(line1, line2, null, null, postcode, city, country);
    }

    /** The address stored on an account, or null when it has none (an address needs a city). */
    public static PostalAddress ofAccount(String line1, String line2, String line3, String line4, String postcode,
                                          String city, String country) {
        PostalAddress a = new PostalAddress(line1, line2, line3, line4, postcode, city, country);
        return a.isEmpty() ? null : a;
    }

    /** No field at all: "no address". */
    public boolean isEmpty() {
        return line1 == null && line2 == null && line3 == null && line4 == null && postcode == null && city == null
                && country == null;
    }

    /** The delivery lines given, in the order given (empty ones left out). */
    public List<String> deliveryLines() {
        List<String> lines = new ArrayList<>(4);
        for (String l : new String[] {line1, line2, line3, line4}) {
            if (l != null) lines.add(l);
        }
        return lines;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
