package io.edgeloop.training.config;

import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.storage.LocalArtifactStore;
import io.edgeloop.training.compute.ComputeTargets;
import io.edgeloop.training.dataset.DatasetFiles;
import io.edgeloop.training.registry.ChampionPolicy;
import io.edgeloop.training.trainer.ScriptTrainer;
import io.edgeloop.training.trainer.AutoMlTrainer;
import io.edgeloop.training.trainer.ChampionPackages;
import io.edgeloop.training.trainer.SearchHistory;
import io.edgeloop.training.run.RunRepository;
import io.edgeloop.training.tracking.TrackingStore;
import io.edgeloop.training.registry.ModelRegistry;
import io.edgeloop.training.secret.RunSecrets;
import io.edgeloop.training.secret.SecretBox;
import org.springframework.jdbc.core.JdbcTemplate;
import io.edgeloop.modelpackage.ModelPackages;
import io.edgeloop.training.dataset.DatasetLoader;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the training-service's adapters from {@link TrainingProperties}. */
@Configuration
@EnableConfigurationProperties(TrainingProperties.class)
public class TrainingConfiguration {

  @Bean
  ComputeTargets computeTargets(TrainingProperties properties) {
    return new ComputeTargets(properties);
  }

  @Bean
  ScriptTrainer scriptTrainer(ArtifactStore store, DatasetFiles files, TrainingProperties properties, RunSecrets secrets) {
    return new ScriptTrainer(store, files, properties, secrets);
  }

  /** Secret values given inline in run requests, sealed with the key in {@code secret-key-file} (created on first start). */
  @Bean
  RunSecrets runSecrets(JdbcTemplate jdbc, TrainingProperties properties) throws java.io.IOException {
    return new RunSecrets(jdbc, SecretBox.fromFile(properties.secretKeyFile()));
  }

  @Bean
  AutoMlTrainer autoMlTrainer(DatasetLoader loader, ModelRegistry registry, ArtifactStore store, RunRepository runs,
      TrackingStore tracking, TrainingProperties properties) {
    ChampionPackages champions = model -> {
      var champion = registry.alias(model, ModelRegistry.CHAMPION);
      if (champion.isEmpty()) {
        return java.util.Optional.empty();
      }
      String prefix = "runs/" + champion.get().runId() + "/model/";
      return java.util.Optional.of(new ChampionPackages.ChampionPackage(champion.get().version(),
          ModelPackages.parseManifest(store.readBytes(prefix + ModelPackages.MANIFEST_FILE)),
          store.readBytes(prefix + ModelPackages.ONNX_FILE)));
    };
    // the last completed run of the experiment that searched (tag path=search), newest first
    SearchHistory history = (experiment, dataset) -> runs.list(experiment, "completed", 200).stream()
        .filter(r -> "search".equals(tracking.tags(r.id()).get("path")))
        .findFirst()
        .map(r -> r.datasets().stream().filter(d -> d.name().equals(dataset)).mapToLong(d -> d.version()).max())
        .orElse(java.util.OptionalLong.empty());
    return new AutoMlTrainer(loader, champions, history, properties);
  }

  @Bean
  ChampionPolicy championPolicy(TrainingProperties properties) {
    return new ChampionPolicy(properties.promotionMargin());
  }

  /** Until the storage module's auto-configuration is on the classpath: a local store under the data directory. */
  @Configuration
  @ConditionalOnMissingClass("io.edgeloop.storage.StorageAutoConfiguration")
  static class FallbackStore {
    @Bean
    ArtifactStore artifactStore(@Value("${edgeloop.data-dir:.edgeloop}") Path dataDir) throws java.io.IOException {
      return new LocalArtifactStore(dataDir.resolve("blobs"));
    }
  }
}
