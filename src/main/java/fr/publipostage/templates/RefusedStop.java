package fr.publipostage.templates;

import org.apache.velocity.runtime.directive.DirectiveConstants;

/**
 * Replaces Velocity's {@code #stop}: it ends a render by an exception that escaped the sandbox as a
 * server error (issue 10), and a letter that stops half-way is never wanted.
 */
public final class RefusedStop extends RefusedDirective {
    @Override
    public String getName() {
        return "stop";
    }

    @Override
    public int getType() {
        return DirectiveConstants.LINE;
    }
}
