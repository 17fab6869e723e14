package fr.publipostage.customisation;

import org.apache.ibatis.annotations.Param;

/** The {@code structure_logo} table and {@code structure.logo_url}. SQL in LogoMapper.xml. */
public interface LogoMapper {
    /** Sets the URL letters use; 0 when the structure does not exist. Locks the structure's row. */
    int setLogoUrl(@Param("structureId") long structureId, @Param("logoUrl") String logoUrl);

    /** Inserts or replaces the structure's logo; returns it as stored. */
    Logo save(@Param("l") Logo logo);

    Logo find(@Param("structureId") long structureId);

    int delete(@Param("structureId") long structureId);
}
