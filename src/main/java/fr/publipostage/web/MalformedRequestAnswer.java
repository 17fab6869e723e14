package fr.publipostage.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.publipostage.templates.Messages;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * What Jetty answers itself, before any handler runs, to a request it cannot take (an address over
 * its 8 KB limit: 414; headers too large: 431; a request line it cannot read: 400): our
 * {@code {error, code}} with a French sentence rather than its English HTML page. No request exists
 * yet to tell the admin's language, so French, the default.
 */
final class MalformedRequestAnswer extends ErrorHandler {
    private final Messages messages;
    private final ObjectMapper json;

    MalformedRequestAnswer(Messages messages, ObjectMapper json) {
        this.messages = messages;
        this.json = json;
        setShowStacks(false);
        setShowCauses(false);
    }

    static String key(int status) {
        return switch (status) {
            case 414 -> "error.uriTooLong";
            case 431 -> "error.headersTooLarge";
            default -> "error.malformedRequest";
        };
    }

    /** With a request (the usual way in Jetty 12): the same body, for the statuses above only. */
    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) throws java.io.IOException {
        if (status != 400 && status != 414 && status != 431) {
            super.generateResponse(request, response, status, message, cause, callback);
            return;
        }
        HttpFields.Mutable headers = response.getHeaders();
        response.write(true, badMessageError(status, message, headers), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String key = key(status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", messages.get(Messages.DEFAULT_LANGUAGE, key));
        body.put("code", key);
        try {
            fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8"));
            return ByteBuffer.wrap(json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            return super.badMessageError(status, reason, fields);
        }
    }
}
