package fr.publipostage.directory;

import java.util.List;
import org.apache.ibatis.annotations.Param;

/** Postal addresses of accounts (issue 14). SQL in AddressMapper.xml. */
public interface AddressMapper {
    /** The accounts of the structure named by these keys: {@code by} is login, siecle or external. */
    List<Keyed> accountsBy(@Param("structureId") long structureId, @Param("by") String by,
                           @Param("keys") List<String> keys);

    /** Replaces an account's address (null fields: none). */
    int setAddress(@Param("id") long id, @Param("a") PostalAddress address);

    /** The ENT's identifiers of an account (kept when the file has none). */
    int setExternalIds(@Param("id") long id, @Param("externalId") String externalId, @Param("siecleId") String siecleId);

    /** Parents of the structure (for the demo's addresses): id, login, last name. */
    List<Keyed> relatives(@Param("structureId") long structureId);

    /** The stored addresses of these accounts (to tell a change from a line that says what is stored). */
    List<Stored> addressesOf(@Param("ids") List<Long> ids);

    /** An account's stored address, field by field. */
    record Stored(long id, String login, String lastName, String firstName, String profile, String line1, String line2, String line3, String line4, String postcode, String city,
                  String country) {
        public PostalAddress address() {
            return new PostalAddress(line1, line2, line3, line4, postcode, city, country);
        }
    }

    /** One account found by a key of an address file. */
    record Keyed(String key, long id, String lastName) {
    }
}
