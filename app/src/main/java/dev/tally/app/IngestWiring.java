package dev.tally.app;

import dev.tally.ingest.EventPublisher;
import dev.tally.ingest.IngestMeters;
import dev.tally.ingest.IngestRoutes;
import dev.tally.ingest.IngestSettings;
import dev.tally.ingest.WriteConfirmations;
import java.time.Clock;

/** The ingest role: the write API, its producer, and the tail that confirms writes with their counts. */
final class IngestWiring {

    private IngestWiring() {
    }

    static void wire(NodeAssembly node, IngestSettings ingest, Clock clock) {
        WriteConfirmations confirmations = node.closeLater(new WriteConfirmations(ingest, node.registry()).start());
        EventPublisher publisher = node.closeLater(EventPublisher.of(ingest, node.registry()).connect());
        node.health().check("producer", publisher::isConnected).check("updates", confirmations::isReady);
        IngestMeters meters = new IngestMeters(node.registry());
        IngestRoutes routes = node.closeLater(IngestRoutes.on(ingest, publisher, confirmations, clock, meters));
        node.routes().fixedWords(routes::registerBatch, "events").anyCounter(routes::registerWrites);
    }
}
