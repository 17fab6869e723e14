package fr.publipostage.templates;

import java.io.Writer;
import org.apache.velocity.context.InternalContextAdapter;
import org.apache.velocity.runtime.RuntimeServices;
import org.apache.velocity.runtime.directive.Directive;
import org.apache.velocity.runtime.parser.node.Node;

/**
 * A Velocity directive the sandbox replaces by a refusal, named with its line and column when the
 * template is parsed (so a save is refused before anything runs). Subclasses give the name and type.
 */
abstract class RefusedDirective extends Directive {
    @Override
    public void init(RuntimeServices rs, InternalContextAdapter context, Node node) {
        throw refused(node);
    }

    @Override
    public boolean render(InternalContextAdapter context, Writer writer, Node node) {
        throw refused(node);
    }

    private TemplateError refused(Node node) {
        return new TemplateError(ResolverResourceLoader.fileOf(node.getTemplateName()),
                TemplateError.Reason.FORBIDDEN_CALL, node.getLine(), node.getColumn(), "#" + getName(),
                "#" + getName() + " is not allowed in templates", null);
    }
}
