/** Watched folders (local or network mounts): polling, settle detection, links, processed and quarantine areas. */
package io.edgeloop.ingest.share;
