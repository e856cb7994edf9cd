package dev.modproxy.audit.config;

import dev.modproxy.audit.segment.SegmentStore;
import dev.modproxy.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** One {@link SegmentStore} (and its index cache) per application, over the configured storage. */
@ApplicationScoped
public class SegmentStoreProducer {

    @Produces
    @ApplicationScoped
    SegmentStore segmentStore(BlobStore store) {
        return new SegmentStore(store);
    }
}
