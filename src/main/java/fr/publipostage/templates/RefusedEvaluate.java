package fr.publipostage.templates;

import org.apache.velocity.runtime.directive.DirectiveConstants;

/**
 * Replaces Velocity's {@code #evaluate}: a template built at run time from a string would escape
 * the checks put into parsed templates (see {@link GuardedValueNode}), and letters never need it.
 */
public final class RefusedEvaluate extends RefusedDirective {
    @Override
    public String getName() {
        return "evaluate";
    }

    @Override
    public int getType() {
        return DirectiveConstants.LINE;
    }
}
