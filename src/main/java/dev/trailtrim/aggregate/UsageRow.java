package dev.trailtrim.aggregate;

import java.io.Serializable;

/**
 * One aggregated usage state as Spark stores it (a bean, for Parquet): the fields of
 * {@link UsageKey} and {@link UsageStats}. Kept apart from the domain records on purpose.
 */
public class UsageRow implements Serializable {

  private static final long serialVersionUID = 1L;
  private String folderDay;
  private String eventDay;
  private String roleArn;
  private String function;
  private String action;
  private String resource;
  private String errorCode;
  private long count;
  private long firstSeen;
  private long lastSeen;

  public UsageRow() {}

  public static UsageRow of(UsageKey key, UsageStats stats) {
    UsageRow row = new UsageRow();
    row.folderDay = key.folderDay();
    row.eventDay = key.eventDay();
    row.roleArn = key.roleArn();
    row.function = key.function();
    row.action = key.action();
    row.resource = key.resource();
    row.errorCode = key.errorCode();
    row.count = stats.count();
    row.firstSeen = stats.firstSeenMillis();
    row.lastSeen = stats.lastSeenMillis();
    return row;
  }

  public UsageKey key() {
    return new UsageKey(folderDay, eventDay, roleArn, function, action, resource, errorCode);
  }

  public UsageStats stats() {
    return new UsageStats(count, firstSeen, lastSeen);
  }

  public String getFolderDay() { return folderDay; }
  public void setFolderDay(String folderDay) { this.folderDay = folderDay; }
  public String getEventDay() { return eventDay; }
  public void setEventDay(String eventDay) { this.eventDay = eventDay; }
  public String getRoleArn() { return roleArn; }
  public void setRoleArn(String roleArn) { this.roleArn = roleArn; }
  public String getFunction() { return function; }
  public void setFunction(String function) { this.function = function; }
  public String getAction() { return action; }
  public void setAction(String action) { this.action = action; }
  public String getResource() { return resource; }
  public void setResource(String resource) { this.resource = resource; }
  public String getErrorCode() { return errorCode; }
  public void setErrorCode(String errorCode) { this.errorCode = errorCode; }
  public long getCount() { return count; }
  public void setCount(long count) { this.count = count; }
  public long getFirstSeen() { return firstSeen; }
  public void setFirstSeen(long firstSeen) { this.firstSeen = firstSeen; }
  public long getLastSeen() { return lastSeen; }
  public void setLastSeen(long lastSeen) { this.lastSeen = lastSeen; }
}
