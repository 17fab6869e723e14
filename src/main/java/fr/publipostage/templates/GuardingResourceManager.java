package fr.publipostage.templates;

import org.apache.velocity.Template;
import org.apache.velocity.runtime.resource.Resource;
import org.apache.velocity.runtime.resource.ResourceManagerImpl;

/**
 * Velocity's resource manager, which also puts {@link GuardedValueNode}s into every template it
 * hands out: the top-level one and those of {@code #parse}, cached or freshly parsed alike.
 */
public final class GuardingResourceManager extends ResourceManagerImpl {
    @Override
    public Resource getResource(String resourceName, int resourceType, String encoding) {
        Resource resource = super.getResource(resourceName, resourceType, encoding);
        if (resource instanceof Template template && template.getData() instanceof org.apache.velocity.runtime.parser.node.Node root) {
            // Same template object for every thread: wrap once, visibly to all.
            synchronized (template) {
                GuardedValueNode.guard(root);
            }
        }
        return resource;
    }
}
