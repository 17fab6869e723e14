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

    /** One account found by a key of an address file. */
    record Keyed(String key, long id, String lastName) {
    }
}
