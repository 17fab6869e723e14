package fr.publipostage.security;

import fr.publipostage.directory.Structure;
import java.util.List;

/**
 * An admin's right on one structure: his role there and what he may see of it. The selection
 * package turns it into a {@code Scope} ({@code Scope.of(access)}) added to every query.
 *
 * @param onlyClassIds null = every account; otherwise only pupils and parents of these classes
 */
public record StructureAccess(Structure structure, Role role, boolean hideSuperAdmins, List<Long> onlyClassIds) {
    public StructureAccess {
        onlyClassIds = onlyClassIds == null ? null : List.copyOf(onlyClassIds);
    }
}
