package io.edgeloop.security;

import io.edgeloop.security.web.WebSecurityConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * edgeloop's security for a service: the token store (after the service's DataSource exists) and
 * the API's filter chain (before Spring Boot's defaults, which then step aside).
 */
@AutoConfiguration(
    after = {DataSourceAutoConfiguration.class, io.edgeloop.security.token.TokenStoreConfiguration.class},
    before = {SecurityAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class},
    beforeName = "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration",
    afterName = "io.edgeloop.database.EmbeddedPostgresConfiguration")
@EnableConfigurationProperties(EdgeloopSecurityProperties.class)
@Import(WebSecurityConfiguration.class)
public class EdgeloopSecurityAutoConfiguration {}
