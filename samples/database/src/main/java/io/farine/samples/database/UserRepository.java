package io.farine.samples.database;

import java.util.Optional;

import org.springframework.data.repository.ListCrudRepository;

/** The {@code users} table: the Java counterpart of the original's {@code models.py}. */
public interface UserRepository extends ListCrudRepository<User, Long> {

	Optional<User> findByName(String name);

}
