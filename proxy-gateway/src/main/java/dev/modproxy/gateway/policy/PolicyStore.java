package dev.modproxy.gateway.policy;

import dev.modproxy.gateway.chain.WatchedFile;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The current policy rules: {@link PolicyRules#NONE} without a file, else the file's last good
 * content, re-read when it changes (checked every {@code modproxy.policy.reload-interval}).
 */
@ApplicationScoped
@Startup // a rules file that does not parse at start stops the gateway with its reason, not every request with a 500
public class PolicyStore {

    private final WatchedFile<PolicyRules> file;

    public PolicyStore(PolicyConfig config) {
        this.file = config.file()
                .map(p -> new WatchedFile<>(p, PolicyRules::parse, config.reloadInterval().toNanos(), System::nanoTime))
                .orElse(null);
    }

    public PolicyRules rules() {
        return file == null ? PolicyRules.NONE : file.get();
    }
}
