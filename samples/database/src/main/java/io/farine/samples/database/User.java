package io.farine.samples.database;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A row of table {@code users}, also the body of a {@code created} event and of {@code find}'s reply. */
@Table("users")
public record User(@Id Long id, String name) {
}
