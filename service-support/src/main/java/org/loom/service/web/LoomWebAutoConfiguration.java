package org.loom.service.web;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.filter.FormContentFilter;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Installs the shared HTTP conventions in every servlet web service: request ids, the protocol error body for
 * failures from controllers, Spring MVC and the container, JSON request bodies of any content type, and a Tomcat
 * that lets {@code %2F} through to the application.
 *
 * <p>Filter order: {@link #REQUEST_ID_FILTER_ORDER} first, so every later refusal carries the id; a service's own
 * guards go at {@link #GUARD_FILTER_ORDER} and after, ahead of Spring MVC.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@EnableConfigurationProperties(LoomWebProperties.class)
@Import({ProtocolErrorAdvice.class, EmptyBodyAdvice.class})
public class LoomWebAutoConfiguration {

    /** Order of the request-id filter. */
    public static final int REQUEST_ID_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    /** Order of the filter limiting request parameters to the query string. */
    public static final int QUERY_PARAMETERS_FILTER_ORDER = REQUEST_ID_FILTER_ORDER + 1;

    /** The first order available to a service's guards (rate limits, body limits). */
    public static final int GUARD_FILTER_ORDER = REQUEST_ID_FILTER_ORDER + 10;

    @Bean
    FilterRegistrationBean<RequestIdFilter> loomRequestIdFilter(LoomWebProperties properties) {
        FilterRegistrationBean<RequestIdFilter> registration =
                new FilterRegistrationBean<>(new RequestIdFilter(properties.acceptIncomingRequestId()));
        registration.setOrder(REQUEST_ID_FILTER_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<QueryParametersFilter> loomQueryParametersFilter() {
        FilterRegistrationBean<QueryParametersFilter> registration =
                new FilterRegistrationBean<>(new QueryParametersFilter());
        registration.setOrder(QUERY_PARAMETERS_FILTER_ORDER);
        return registration;
    }

    @Bean
    FilterRegistrationBean<WildcardContentTypeFilter> loomWildcardContentTypeFilter() {
        FilterRegistrationBean<WildcardContentTypeFilter> registration =
                new FilterRegistrationBean<>(new WildcardContentTypeFilter());
        registration.setOrder(QUERY_PARAMETERS_FILTER_ORDER + 2);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ManagementErrorFilter> loomManagementErrorFilter(Environment environment) {
        FilterRegistrationBean<ManagementErrorFilter> registration = new FilterRegistrationBean<>(
                new ManagementErrorFilter(environment.getProperty("management.endpoints.web.base-path", "/actuator")));
        registration.setOrder(QUERY_PARAMETERS_FILTER_ORDER + 1);
        return registration;
    }

    /**
     * Spring's form-content filter reads {@code PUT}, {@code PATCH} and {@code DELETE} bodies labelled as forms before
     * any controller sees them; the protocol has no forms, and those bytes belong to the controller. Registering the
     * filter disabled keeps Boot from registering it.
     */
    @Bean
    FilterRegistrationBean<FormContentFilter> loomFormContentFilterOff(ObjectProvider<FormContentFilter> filters) {
        FilterRegistrationBean<FormContentFilter> registration =
                new FilterRegistrationBean<>(filters.getIfAvailable(FormContentFilter::new));
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    @ConditionalOnMissingBean(ErrorController.class)
    ContainerErrorController loomContainerErrorController() {
        return new ContainerErrorController();
    }

    @Bean
    WebMvcConfigurer loomJsonBodies() {
        return new WebMvcConfigurer() {
            @Override
            public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
                builder.addCustomConverter(new JsonBodyConverter());
            }
        };
    }

    /** Tomcat's side: encoded slashes reach the application, and its own error reports use the protocol body. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Tomcat.class)
    static class TomcatConventions {

        /** Tomcat refuses {@code %2F} in a path by default; identity routes carry {@code loom://} URIs there. */
        @Bean
        TomcatConnectorCustomizer loomEncodedSolidusPassthrough() {
            return connector -> connector.setEncodedSolidusHandling("passthrough");
        }

        /**
         * The host adds its error report valve when it starts and Boot adds one of its own; once the host is set up
         * (just before the application context starts) only {@link ContainerErrorValve} is left.
         */
        @Bean
        TomcatContextCustomizer loomContainerErrorValve() {
            return context -> {
                Container host = context.getParent();
                if (host instanceof StandardHost standardHost) {
                    standardHost.setErrorReportValveClass(ContainerErrorValve.class.getName());
                }
                context.addLifecycleListener(event -> {
                    if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                        keepOnlyProtocolErrorValve(((Context) event.getLifecycle()).getParent().getPipeline());
                    }
                });
            };
        }

        private static void keepOnlyProtocolErrorValve(Pipeline pipeline) {
            boolean present = false;
            for (Valve valve : pipeline.getValves()) {
                if (valve instanceof ContainerErrorValve) {
                    present = true;
                } else if (valve instanceof ErrorReportValve) {
                    pipeline.removeValve(valve);
                }
            }
            if (!present) {
                pipeline.addValve(new ContainerErrorValve());
            }
        }
    }
}
