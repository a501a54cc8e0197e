package dev.tally.app;

import dev.tally.kafka.Inbox;
import dev.tally.schemas.TopicNames;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least a secured cluster must allow each of tally's Kafka principals, as ACLs: what {@code SecuredKafkaIntegrationTest}
 * grants and proves sufficient, and what {@code deploy/kafka-acls.sh} grants in docker-compose.
 *
 * <ul>
 *   <li><b>ingest</b> appends to the event topic and to nothing else it could corrupt: WRITE on {@code events};
 *       READ on {@code replies} in its inbox group (the processor's answers to its waiting writes); WRITE on
 *       {@code presence} (every node reports its live viewers). Never a changelog, never a reply.</li>
 *   <li><b>processor</b> is a Kafka Streams application: ALL on topics, the consumer group and transactional ids
 *       prefixed with its application id (its changelogs, its group, its exactly-once producers); READ on
 *       {@code events}, on each peer region's mirrored events and on {@code presence}; WRITE on {@code replies}, {@code changes}, {@code presence} and the
 *       dead-letter topic; READ on {@code changes} in its inbox group (the live API's pushes).</li>
 * </ul>
 * DESCRIBE comes with READ and WRITE in Kafka's ACL model; none of it is on the cluster resource.
 */
public final class KafkaAccess {

    private KafkaAccess() {
    }

    public static List<AclBinding> ingest(String principal, TopicNames topics) {
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(principal, ResourceType.TOPIC, topics.events(), PatternType.LITERAL, AclOperation.WRITE));
        acls.addAll(inbox(principal, topics.replies()));
        acls.add(allow(principal, ResourceType.TOPIC, topics.presence(), PatternType.LITERAL, AclOperation.WRITE));
        return acls;
    }

    public static List<AclBinding> processor(String principal, TopicNames topics, String applicationId) {
        List<AclBinding> acls = new ArrayList<>();
        for (ResourceType owned : List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
            acls.add(allow(principal, owned, applicationId, PatternType.PREFIXED, AclOperation.ALL));
        }
        for (String events : topics.eventSources()) {
            acls.add(allow(principal, ResourceType.TOPIC, events, PatternType.LITERAL, AclOperation.READ));
        }
        acls.add(allow(principal, ResourceType.TOPIC, topics.presence(), PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(principal, ResourceType.TOPIC, topics.presence(), PatternType.LITERAL, AclOperation.WRITE));
        acls.add(allow(principal, ResourceType.TOPIC, topics.replies(), PatternType.LITERAL, AclOperation.WRITE));
        acls.add(allow(principal, ResourceType.TOPIC, topics.changes(), PatternType.LITERAL, AclOperation.WRITE));
        acls.addAll(inbox(principal, topics.changes()));
        acls.add(allow(principal, ResourceType.TOPIC, topics.deadLetters(), PatternType.LITERAL, AclOperation.WRITE));
        // Placing an event on its own partition appends it to the event topic again.
        acls.add(allow(principal, ResourceType.TOPIC, topics.events(), PatternType.LITERAL, AclOperation.WRITE));
        for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.DESCRIBE)) {
            acls.add(allow(principal, ResourceType.TOPIC, topics.likeTotals(), PatternType.LITERAL, operation));
        }
        return acls;
    }

    /** Reading a topic in the consumer group whose members share its partitions ({@link Inbox}). */
    private static List<AclBinding> inbox(String principal, String topic) {
        return List.of(
                allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ),
                allow(principal, ResourceType.GROUP, Inbox.groupOf(topic), PatternType.LITERAL, AclOperation.READ));
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
