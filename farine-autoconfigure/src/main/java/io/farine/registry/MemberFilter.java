package io.farine.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Which members {@link ServiceRegistry#members(MemberFilter)} lists, as Serf's
 * {@code members -name -status -tag key=value} filters: every criterion is a regular expression
 * that must match a whole value. Immutable; each {@code with...} returns a new filter.
 *
 * <pre>{@code
 * registry.members(MemberFilter.all().withService("orders").withStatus("alive|leaving").withTag("role", "db-.*"));
 * }</pre>
 */
public final class MemberFilter {

	private static final MemberFilter ALL = new MemberFilter(null, null, Map.of());

	private final @Nullable Pattern service;

	private final @Nullable Pattern status;

	private final Map<String, Pattern> tags;

	private MemberFilter(@Nullable Pattern service, @Nullable Pattern status, Map<String, Pattern> tags) {
		this.service = service;
		this.status = status;
		this.tags = tags;
	}

	/**
	 * Every member, alive or gone.
	 * @return the filter that lets every member through
	 */
	public static MemberFilter all() {
		return ALL;
	}

	/**
	 * Only members of the services whose name the expression matches.
	 * @param regex such as {@code orders} or {@code orders|users}
	 * @return a new filter
	 */
	public MemberFilter withService(String regex) {
		return new MemberFilter(Pattern.compile(regex), this.status, this.tags);
	}

	/**
	 * Only members whose status the expression matches.
	 * @param regex such as {@code alive}, or {@code left|failed}
	 * @return a new filter
	 */
	public MemberFilter withStatus(String regex) {
		return new MemberFilter(this.service, Pattern.compile(regex), this.tags);
	}

	/**
	 * Only members with a tag {@code key=value} whose value the expression matches (a tag with no
	 * {@code =} is a key with an empty value). Several tags must all match.
	 * @param key the tag's key, such as {@code role}
	 * @param regex its value, such as {@code db-.*}
	 * @return a new filter
	 */
	public MemberFilter withTag(String key, String regex) {
		Map<String, Pattern> more = new LinkedHashMap<>(this.tags);
		more.put(key, Pattern.compile(regex));
		return new MemberFilter(this.service, this.status, Map.copyOf(more));
	}

	/**
	 * Whether a member passes.
	 * @param member the member
	 * @return true if every criterion matches it
	 */
	public boolean matches(ServiceInstance member) {
		if (this.service != null && !this.service.matcher(member.service()).matches()) {
			return false;
		}
		if (this.status != null && !this.status.matcher(String.valueOf(member.status())).matches()) {
			return false;
		}
		return this.tags.entrySet().stream().allMatch((tag) -> hasTag(member.tags(), tag.getKey(), tag.getValue()));
	}

	private static boolean hasTag(List<String> tags, String key, Pattern value) {
		for (String tag : tags) {
			int equals = tag.indexOf('=');
			String tagKey = (equals >= 0) ? tag.substring(0, equals) : tag;
			String tagValue = (equals >= 0) ? tag.substring(equals + 1) : "";
			if (tagKey.equals(key) && value.matcher(tagValue).matches()) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return "MemberFilter[service=" + this.service + ", status=" + this.status + ", tags=" + this.tags + "]";
	}

}
