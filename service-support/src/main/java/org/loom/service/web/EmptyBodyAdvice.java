package org.loom.service.web;

import java.lang.reflect.Type;
import org.loom.protocol.json.LoomJson;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdvice;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An empty request body is {@code {}} for a JSON parameter and zero bytes for a raw one. Spring MVC never hands an
 * empty body to a converter, and would otherwise refuse the request as having no body at all.
 */
@ControllerAdvice
public class EmptyBodyAdvice implements RequestBodyAdvice {

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        Class<?> target = ResolvableType.forType(targetType).resolve(Object.class);
        return target == byte[].class || target.isAssignableFrom(ObjectNode.class)
                && JsonNode.class.isAssignableFrom(target);
    }

    @Override
    public Object handleEmptyBody(Object body, HttpInputMessage input, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        if (body != null) {
            return body;
        }
        Class<?> target = ResolvableType.forType(targetType).resolve(Object.class);
        return target == byte[].class ? new byte[0] : LoomJson.parse(new byte[0]);
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return input;
    }

    @Override
    public Object afterBodyRead(Object body, HttpInputMessage input, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return body;
    }
}
