package fr.publipostage.imports;

import org.apache.ibatis.annotations.Param;

/** The web import's uploads waiting for "Appliquer" (SQL in UploadMapper.xml). */
public interface UploadMapper {
    void insert(@Param("u") Upload upload);

    Upload find(@Param("id") String id, @Param("structureId") long structureId, @Param("adminLogin") String adminLogin);

    int delete(@Param("id") String id, @Param("structureId") long structureId, @Param("adminLogin") String adminLogin);

    int deleteOlderThan(@Param("minutes") int minutes);
}
