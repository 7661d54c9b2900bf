package org.loom.envelope.blob;

import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The blob store: the filesystem one unless the application defines another {@link BlobStore}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BlobSettings.class)
class BlobConfiguration {

    @Bean
    @ConditionalOnMissingBean(BlobStore.class)
    FileSystemBlobStore fileSystemBlobStore(BlobSettings settings) throws IOException {
        return new FileSystemBlobStore(settings.directory());
    }
}
