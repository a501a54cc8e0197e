package dev.tally.app;

import dev.tally.config.Env;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;

/**
 * {@code ./tally setup}, run once per cluster by an operator with an admin's Kafka credentials: creates tally's
 * topics and, on a secured cluster, the SCRAM-SHA-512 users of ingest and the processor with exactly the ACLs of
 * {@link KafkaAccess}. Running it again changes nothing but the passwords, so a deployment can run it on every
 * start (docker-compose does).
 *
 * @param ingest    {@code TALLY_SETUP_INGEST_USER} and {@code _PASSWORD}; empty: no users or ACLs are made
 * @param processor {@code TALLY_SETUP_PROCESSOR_USER} and {@code _PASSWORD}
 */
record KafkaSetup(Optional<Credentials> ingest, Optional<Credentials> processor) {

    /** The iteration count Kafka's own tools default to. */
    static final int SCRAM_ITERATIONS = 8192;

    record Credentials(String user, String password) {
        String principal() {
            return "User:" + user;
        }
    }

    static KafkaSetup fromEnv(Env env) {
        return new KafkaSetup(credentials(env, "INGEST"), credentials(env, "PROCESSOR"));
    }

    private static Optional<Credentials> credentials(Env env, String role) {
        String user = env.string("TALLY_SETUP_" + role + "_USER", "");
        String password = env.string("TALLY_SETUP_" + role + "_PASSWORD", "");
        if (user.isEmpty() != password.isEmpty()) {
            throw new IllegalArgumentException("set both TALLY_SETUP_" + role + "_USER and TALLY_SETUP_" + role + "_PASSWORD, or neither");
        }
        return user.isEmpty() ? Optional.empty() : Optional.of(new Credentials(user, password));
    }

    /** Topics first, then users and their ACLs; throws on the first thing the admin may not do. */
    void run(TallySettings settings) {
        TopicSetup.ensure(settings.shared(), settings.partitions(), settings.eventRetentionMillis());
        List<UserScramCredentialAlteration> users = new ArrayList<>();
        List<AclBinding> acls = new ArrayList<>();
        ScramCredentialInfo scram = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS);
        ingest.ifPresent(user -> {
            users.add(new UserScramCredentialUpsertion(user.user(), scram, user.password()));
            acls.addAll(KafkaAccess.ingest(user.principal(), settings.topics()));
        });
        processor.ifPresent(user -> {
            users.add(new UserScramCredentialUpsertion(user.user(), scram, user.password()));
            acls.addAll(KafkaAccess.processor(user.principal(), settings.topics(), settings.processor().applicationId()));
        });
        if (users.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(settings.kafka().properties())) {
            admin.alterUserScramCredentials(users).all().get();
            admin.createAcls(acls).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create tally's Kafka users and ACLs: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating users and ACLs", e);
        }
    }
}
