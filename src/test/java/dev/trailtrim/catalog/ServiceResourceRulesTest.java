package dev.trailtrim.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trailtrim.model.CloudTrailEvent;
import dev.trailtrim.model.Translation;
import dev.trailtrim.model.Translation.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request parameters to resource ARNs for the services Lambda functions call, each case run in all
 * three partitions. Parameters are the CloudTrail spellings of the APIs' request members
 * (lowerCamelCase; the translator matches names case-insensitively). In requests and expectations
 * {@code {p}} is the partition, {@code {r}} the record's Region and {@code {a}} its account.
 */
class ServiceResourceRulesTest {

  private static final EventTranslator TRANSLATOR = EventTranslator.create(IamCatalog.loadDefault());
  private static final String OTHER = "444455556666";

  /** Partition and a Region of it. */
  private static final List<String[]> PARTITIONS = List.of(
      new String[] {"aws", "us-east-1"}, new String[] {"aws-cn", "cn-north-1"},
      new String[] {"aws-us-gov", "us-gov-west-1"});

  private record Case(String description, String source, String name, String request, String expected,
      String[] resources) {}

  private static Case c(String description, String source, String name, String request, String expected,
      String... resources) {
    return new Case(description, source, name, request, expected, resources);
  }

  static List<Case> cases() {
    return List.of(
        // DynamoDB
        c("dynamodb TransactWriteItems: the item actions of its operations, on the tables of requestItems", "dynamodb",
            "TransactWriteItems",
            "{'requestItems':[{'operation':'Put','tableName':'Orders'},{'operation':'Delete','TableName':'Orders'}]}",
            "dynamodb:DeleteItem arn:{p}:dynamodb:{r}:{a}:table/Orders ; dynamodb:PutItem arn:{p}:dynamodb:{r}:{a}:table/Orders"),
        c("dynamodb TransactGetItems is GetItem", "dynamodb", "TransactGetItems",
            "{'requestItems':[{'tableName':'Orders','key':{}}]}",
            "dynamodb:GetItem arn:{p}:dynamodb:{r}:{a}:table/Orders"),
        c("dynamodb BatchGetItem with the SDK's map of table names", "dynamodb", "BatchGetItem",
            "{'requestItems':{'Orders':{'keys':[]},'Users':{'keys':[]}}}",
            "dynamodb:BatchGetItem arn:{p}:dynamodb:{r}:{a}:table/Orders ; dynamodb:BatchGetItem arn:{p}:dynamodb:{r}:{a}:table/Users"),
        c("dynamodb PartiQL SELECT on an index", "dynamodb", "ExecuteStatement",
            "{'statement':'SELECT * FROM \\\"Orders\\\".\\\"byDate\\\" WHERE pk = ***(Redacted)'}",
            "dynamodb:PartiQLSelect arn:{p}:dynamodb:{r}:{a}:table/Orders/index/byDate"),
        c("dynamodb PartiQL UPDATE: table from resources[]", "dynamodb", "ExecuteStatement",
            "{'statement':'UPDATE Music SET Album = ***(Redacted) WHERE Artist = 1'}",
            "dynamodb:PartiQLUpdate arn:{p}:dynamodb:{r}:{a}:table/Music", "arn:{p}:dynamodb:{r}:{a}:table/Music"),
        c("dynamodb BatchExecuteStatement: one action per statement verb", "dynamodb", "BatchExecuteStatement",
            "{'requestItems':[{'statement':'UPDATE Music SET a = 1'},{'statement':'INSERT INTO Music VALUE {}'}]}",
            "dynamodb:PartiQLInsert arn:{p}:dynamodb:{r}:{a}:table/Music ; dynamodb:PartiQLUpdate arn:{p}:dynamodb:{r}:{a}:table/Music"),
        c("dynamodb streams GetRecords: the stream ARN heads the shard iterator", "streams.dynamodb", "GetRecords",
            "{'shardIterator':'arn:{p}:dynamodb:{r}:{a}:table/Orders/stream/2024-05-20T20:51:10.252|1|AAAAAAAAAAEvJp6D'}",
            "dynamodb:GetRecords arn:{p}:dynamodb:{r}:{a}:table/Orders/stream/2024-05-20T20:51:10.252"),

        // SQS, SNS
        c("sqs GetQueueUrl of another account's queue", "sqs", "GetQueueUrl",
            "{'queueName':'jobs','queueOwnerAWSAccountId':'" + OTHER + "'}",
            "sqs:GetQueueUrl arn:{p}:sqs:{r}:" + OTHER + ":jobs"),
        c("sns Subscribe to a topic ARN", "sns", "Subscribe",
            "{'topicArn':'arn:{p}:sns:{r}:{a}:alerts','protocol':'sqs','endpoint':'arn:{p}:sqs:{r}:{a}:q'}",
            "sns:Subscribe arn:{p}:sns:{r}:{a}:alerts"),

        // Lambda
        c("lambda GetLayerVersion", "lambda", "GetLayerVersion20181031", "{'layerName':'deps','versionNumber':7}",
            "lambda:GetLayerVersion arn:{p}:lambda:{r}:{a}:layer:deps:7"),
        c("lambda Invoke of an alias", "lambda", "Invoke", "{'functionName':'orders','qualifier':'live'}",
            "lambda:InvokeFunction arn:{p}:lambda:{r}:{a}:function:orders:live"),

        // Logs
        c("logs StartQuery over several log groups", "logs", "StartQuery",
            "{'logGroupNames':['/aws/lambda/a','/aws/lambda/b'],'queryString':'fields @message'}",
            "logs:StartQuery arn:{p}:logs:{r}:{a}:log-group:/aws/lambda/a ; logs:StartQuery arn:{p}:logs:{r}:{a}:log-group:/aws/lambda/b"),

        // Kinesis, Firehose
        c("kinesis PutRecords by stream name", "kinesis", "PutRecords", "{'streamName':'clicks','records':[]}",
            "kinesis:PutRecords arn:{p}:kinesis:{r}:{a}:stream/clicks"),
        c("kinesis GetShardIterator by stream ARN", "kinesis", "GetShardIterator",
            "{'streamARN':'arn:{p}:kinesis:{r}:" + OTHER
                + ":stream/clicks','shardId':'shardId-000','shardIteratorType':'LATEST'}",
            "kinesis:GetShardIterator arn:{p}:kinesis:{r}:" + OTHER + ":stream/clicks"),
        c("kinesis SubscribeToShard by consumer ARN", "kinesis", "SubscribeToShard",
            "{'consumerARN':'arn:{p}:kinesis:{r}:{a}:stream/clicks/consumer/app:1700000000','shardId':'shardId-000'}",
            "kinesis:SubscribeToShard arn:{p}:kinesis:{r}:{a}:stream/clicks/consumer/app:1700000000"),
        c("firehose PutRecordBatch", "firehose", "PutRecordBatch", "{'deliveryStreamName':'events-to-s3','records':[]}",
            "firehose:PutRecordBatch arn:{p}:firehose:{r}:{a}:deliverystream/events-to-s3"),

        // Step Functions
        c("states StartExecution of a state machine", "states", "StartExecution",
            "{'stateMachineArn':'arn:{p}:states:{r}:{a}:stateMachine:orders','name':'run-1','input':'{}'}",
            "states:StartExecution arn:{p}:states:{r}:{a}:stateMachine:orders"),
        c("states StartExecution of a version: the qualified ARN", "states", "StartExecution",
            "{'stateMachineArn':'arn:{p}:states:{r}:{a}:stateMachine:orders:3','name':'run-1'}",
            "states:StartExecution arn:{p}:states:{r}:{a}:stateMachine:orders:3"),
        c("states CreateStateMachine by name", "states", "CreateStateMachine",
            "{'name':'orders','definition':'{}','type':'STANDARD'}",
            "states:CreateStateMachine arn:{p}:states:{r}:{a}:stateMachine:orders"),
        c("states DescribeExecution", "states", "DescribeExecution",
            "{'executionArn':'arn:{p}:states:{r}:{a}:execution:orders:run-1'}",
            "states:DescribeExecution arn:{p}:states:{r}:{a}:execution:orders:run-1"),
        c("states SendTaskSuccess has no resource", "states", "SendTaskSuccess", "{'taskToken':'AAAA','output':'{}'}",
            "states:SendTaskSuccess *"),

        // EventBridge, Scheduler
        c("events PutEvents to a named bus", "events", "PutEvents",
            "{'entries':[{'source':'app.orders','detailType':'Created','eventBusName':'orders-bus'}]}",
            "events:PutEvents arn:{p}:events:{r}:{a}:event-bus/orders-bus"),
        c("events PutEvents without a bus goes to the default bus", "events", "PutEvents",
            "{'entries':[{'source':'app.orders','detailType':'Created'}]}",
            "events:PutEvents arn:{p}:events:{r}:{a}:event-bus/default"),
        c("events PutEvents to a bus ARN of another account", "events", "PutEvents",
            "{'entries':[{'source':'s','eventBusName':'arn:{p}:events:{r}:" + OTHER + ":event-bus/central'}]}",
            "events:PutEvents arn:{p}:events:{r}:" + OTHER + ":event-bus/central"),
        c("events PutRule on the default bus", "events", "PutRule",
            "{'name':'nightly','scheduleExpression':'rate(1 day)'}",
            "events:PutRule arn:{p}:events:{r}:{a}:rule/nightly"),
        c("events PutTargets on a custom bus", "events", "PutTargets",
            "{'rule':'on-order','eventBusName':'orders-bus','targets':[{'id':'1','arn':'arn:{p}:sqs:{r}:{a}:q'}]}",
            "events:PutTargets arn:{p}:events:{r}:{a}:rule/orders-bus/on-order"),
        c("scheduler CreateSchedule in the default group", "scheduler", "CreateSchedule",
            "{'name':'nightly','scheduleExpression':'rate(1 day)','target':{'arn':'arn:{p}:lambda:{r}:{a}:function:f'}}",
            "scheduler:CreateSchedule arn:{p}:scheduler:{r}:{a}:schedule/default/nightly"),

        // SES
        c("ses v1 SendEmail: the address and its domain", "email", "SendEmail",
            "{'source':'\\\"Orders\\\" <orders@example.com>','destination':{'toAddresses':['x@example.org']}}",
            "ses:SendEmail arn:{p}:ses:{r}:{a}:identity/example.com ; ses:SendEmail arn:{p}:ses:{r}:{a}:identity/orders@example.com"),
        c("ses v2 SendEmail with an identity ARN and a configuration set", "ses", "SendEmail",
            "{'fromEmailAddress':'orders@example.com','fromEmailAddressIdentityArn':'arn:{p}:ses:{r}:{a}:identity/example.com',"
                + "'configurationSetName':'tracking'}",
            "ses:SendEmail arn:{p}:ses:{r}:{a}:configuration-set/tracking ; ses:SendEmail arn:{p}:ses:{r}:{a}:identity/example.com"),
        c("ses v1 SendTemplatedEmail: identity and template", "email", "SendTemplatedEmail",
            "{'source':'orders@example.com','template':'receipt','destination':{}}",
            "ses:SendTemplatedEmail arn:{p}:ses:{r}:{a}:identity/example.com ; ses:SendTemplatedEmail arn:{p}:ses:{r}:{a}:identity/orders@example.com"
                + " ; ses:SendTemplatedEmail arn:{p}:ses:{r}:{a}:template/receipt"),

        // ECR, ECS
        c("ecr BatchGetImage from another account's registry", "ecr", "BatchGetImage",
            "{'registryId':'" + OTHER + "','repositoryName':'base/python','imageIds':[{'imageTag':'3.12'}]}",
            "ecr:BatchGetImage arn:{p}:ecr:{r}:" + OTHER + ":repository/base/python"),
        c("ecr GetAuthorizationToken has no resource", "ecr", "GetAuthorizationToken", "{}",
            "ecr:GetAuthorizationToken *"),
        c("ecs RunTask of a family runs its latest revision", "ecs", "RunTask",
            "{'cluster':'jobs','taskDefinition':'nightly'}",
            "ecs:RunTask arn:{p}:ecs:{r}:{a}:task-definition/nightly:*"),
        c("ecs RunTask: the revision the response names wins", "ecs", "RunTask",
            "{'cluster':'jobs','taskDefinition':'nightly'}",
            "ecs:RunTask arn:{p}:ecs:{r}:{a}:task-definition/nightly:12", "RESPONSE:{'tasks':[{'taskDefinitionArn':"
                + "'arn:{p}:ecs:{r}:{a}:task-definition/nightly:12','taskArn':'arn:{p}:ecs:{r}:{a}:task/jobs/abc'}]}"),
        c("ecs UpdateService on the default cluster", "ecs", "UpdateService", "{'service':'web','desiredCount':2}",
            "ecs:UpdateService arn:{p}:ecs:{r}:{a}:service/default/web"),

        // STS
        c("sts AssumeRole with session tags and a source identity", "sts", "AssumeRole",
            "{'roleArn':'arn:{p}:iam::" + OTHER
                + ":role/deployer','roleSessionName':'s','tags':[{'key':'team','value':'x'}],"
                + "'sourceIdentity':'alice'}",
            "sts:AssumeRole arn:{p}:iam::" + OTHER + ":role/deployer ; sts:SetSourceIdentity arn:{p}:iam::" + OTHER
                + ":role/deployer ; sts:TagSession arn:{p}:iam::" + OTHER + ":role/deployer"),
        c("sts GetFederationToken names the federated user", "sts", "GetFederationToken",
            "{'name':'support','durationSeconds':900}",
            "sts:GetFederationToken arn:{p}:sts::{a}:federated-user/support"),

        // Athena, Glue
        c("athena StartQueryExecution in a named workgroup", "athena", "StartQueryExecution",
            "{'queryString':'SELECT 1','workGroup':'analysts','queryExecutionContext':{'database':'db'}}",
            "athena:StartQueryExecution arn:{p}:athena:{r}:{a}:workgroup/analysts"),
        c("athena StartQueryExecution without a workgroup runs in primary", "athena", "StartQueryExecution",
            "{'queryString':'SELECT 1','queryExecutionContext':{'database':'db'}}",
            "athena:StartQueryExecution arn:{p}:athena:{r}:{a}:workgroup/primary"),
        c("athena GetQueryExecution names no workgroup", "athena", "GetQueryExecution", "{'queryExecutionId':'abc'}",
            "athena:GetQueryExecution *"),
        c("glue GetTable needs the catalog, the database and the table", "glue", "GetTable",
            "{'databaseName':'sales','name':'orders'}",
            "glue:GetTable arn:{p}:glue:{r}:{a}:catalog ; glue:GetTable arn:{p}:glue:{r}:{a}:database/sales"
                + " ; glue:GetTable arn:{p}:glue:{r}:{a}:table/sales/orders"),
        c("glue GetPartitions of another account's catalog", "glue", "GetPartitions",
            "{'catalogId':'" + OTHER + "','databaseName':'sales','tableName':'orders'}",
            "glue:GetPartitions arn:{p}:glue:{r}:" + OTHER + ":catalog ; glue:GetPartitions arn:{p}:glue:{r}:" + OTHER
                + ":database/sales ; glue:GetPartitions arn:{p}:glue:{r}:" + OTHER + ":table/sales/orders"),
        c("glue CreateTable from tableInput", "glue", "CreateTable",
            "{'databaseName':'sales','tableInput':{'name':'returns'}}",
            "glue:CreateTable arn:{p}:glue:{r}:{a}:catalog ; glue:CreateTable arn:{p}:glue:{r}:{a}:database/sales"
                + " ; glue:CreateTable arn:{p}:glue:{r}:{a}:table/sales/returns"),
        c("glue StartJobRun", "glue", "StartJobRun", "{'jobName':'nightly-etl'}",
            "glue:StartJobRun arn:{p}:glue:{r}:{a}:job/nightly-etl"),

        // RDS Data API
        c("rds-data ExecuteStatement: the cluster (the secret's read is a record of its own, invokedBy the Data API)",
            "rdsdata",
            "ExecuteStatement", "{'resourceArn':'arn:{p}:rds:{r}:{a}:cluster:orders','secretArn':"
                + "'arn:{p}:secretsmanager:{r}:{a}:secret:orders-db-AbCdEf','sql':'select 1','database':'orders'}",
            "rds-data:ExecuteStatement arn:{p}:rds:{r}:{a}:cluster:orders"),

        // AppSync, Cognito
        c("appsync GetGraphqlApi", "appsync", "GetGraphqlApi", "{'apiId':'abcdefghij'}",
            "appsync:GetGraphqlApi arn:{p}:appsync:{r}:{a}:apis/abcdefghij"),
        c("appsync UpdateGraphqlApi", "appsync", "UpdateGraphqlApi", "{'apiId':'abcdefghij','name':'orders'}",
            "appsync:UpdateGraphqlApi arn:{p}:appsync:{r}:{a}:apis/abcdefghij"),
        c("appsync GetDataSource: the catalog gives it no resource type", "appsync", "GetDataSource",
            "{'apiId':'abcdefghij','name':'orders'}", "appsync:GetDataSource *"),
        c("cognito-idp AdminGetUser", "cognito-idp", "AdminGetUser", "{'userPoolId':'{r}_AbCdEf123','username':'u'}",
            "cognito-idp:AdminGetUser arn:{p}:cognito-idp:{r}:{a}:userpool/{r}_AbCdEf123"),
        c("cognito-identity DescribeIdentityPool", "cognito-identity", "DescribeIdentityPool",
            "{'identityPoolId':'{r}:11111111-2222-3333-4444-555555555555'}",
            "cognito-identity:DescribeIdentityPool arn:{p}:cognito-identity:{r}:{a}:identitypool/{r}:11111111-2222-3333-4444-555555555555"),

        // X-Ray, CloudWatch
        c("xray GetGroup: the group id is random, so any", "xray", "GetGroup", "{'groupName':'orders'}",
            "xray:GetGroup arn:{p}:xray:{r}:{a}:group/orders/*"),
        c("cloudwatch PutMetricAlarm", "monitoring", "PutMetricAlarm", "{'alarmName':'errors','metricName':'Errors'}",
            "cloudwatch:PutMetricAlarm arn:{p}:cloudwatch:{r}:{a}:alarm:errors"),
        c("cloudwatch DeleteDashboards: dashboards are global", "monitoring", "DeleteDashboards",
            "{'dashboardNames':['a','b']}",
            "cloudwatch:DeleteDashboards arn:{p}:cloudwatch::{a}:dashboard/a ; cloudwatch:DeleteDashboards arn:{p}:cloudwatch::{a}:dashboard/b"),
        c("cloudwatch PutMetricData has no resource", "monitoring", "PutMetricData", "{'namespace':'App'}",
            "cloudwatch:PutMetricData *"),

        // SageMaker runtime, Bedrock runtime
        c("sagemaker InvokeEndpoint", "sagemaker", "InvokeEndpoint",
            "{'endpointName':'ranker','contentType':'application/json'}",
            "sagemaker:InvokeEndpoint arn:{p}:sagemaker:{r}:{a}:endpoint/ranker"),
        c("bedrock InvokeModel of an on-demand model: no account in the ARN", "bedrock", "InvokeModel",
            "{'modelId':'anthropic.claude-3-haiku-20240307-v1:0'}",
            "bedrock:InvokeModel arn:{p}:bedrock:{r}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"),
        c("bedrock Converse is InvokeModel", "bedrock", "Converse", "{'modelId':'amazon.nova-lite-v1:0'}",
            "bedrock:InvokeModel arn:{p}:bedrock:{r}::foundation-model/amazon.nova-lite-v1:0"),
        c("bedrock ConverseStream through a cross-Region inference profile", "bedrock", "ConverseStream",
            "{'modelId':'us.anthropic.claude-3-5-sonnet-20241022-v2:0'}",
            "bedrock:InvokeModelWithResponseStream arn:{p}:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0"
                + " ; bedrock:InvokeModelWithResponseStream arn:{p}:bedrock:{r}:{a}:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0"),
        c("bedrock InvokeModel of a provisioned model ARN", "bedrock", "InvokeModel",
            "{'modelId':'arn:{p}:bedrock:{r}:{a}:provisioned-model/abc123'}",
            "bedrock:InvokeModel arn:{p}:bedrock:{r}:{a}:provisioned-model/abc123"),
        c("bedrock InvokeAgent", "bedrock", "InvokeAgent",
            "{'agentId':'AGENT1','agentAliasId':'ALIAS1','sessionId':'s'}",
            "bedrock:InvokeAgent arn:{p}:bedrock:{r}:{a}:agent-alias/AGENT1/ALIAS1"),
        c("bedrock Retrieve", "bedrock", "Retrieve", "{'knowledgeBaseId':'KB1'}",
            "bedrock:Retrieve arn:{p}:bedrock:{r}:{a}:knowledge-base/KB1"),

        // API Gateway management API
        c("apigateway GetStage of a REST API", "apigateway", "GetStage", "{'restApiId':'a1b2c3','stageName':'prod'}",
            "apigateway:GET arn:{p}:apigateway:{r}::/restapis/a1b2c3/stages/prod"),
        c("apigateway GetStages of an HTTP API", "apigateway", "GetStages", "{'apiId':'h1'}",
            "apigateway:GET arn:{p}:apigateway:{r}::/apis/h1/stages"),
        c("apigateway CreateDeployment posts to the collection", "apigateway", "CreateDeployment",
            "{'restApiId':'a1b2c3','stageName':'prod'}",
            "apigateway:POST arn:{p}:apigateway:{r}::/restapis/a1b2c3/deployments"),
        c("apigateway PutMethod", "apigateway", "PutMethod", "{'restApiId':'a1','resourceId':'r1','httpMethod':'GET'}",
            "apigateway:PUT arn:{p}:apigateway:{r}::/restapis/a1/resources/r1/methods/GET"),
        c("apigateway GetRestApis", "apigateway", "GetRestApis", "{'limit':25}",
            "apigateway:GET arn:{p}:apigateway:{r}::/restapis"),
        c("apigateway ImportRestApi posts to /restapis", "apigateway", "ImportRestApi", "{'failOnWarnings':false}",
            "apigateway:POST arn:{p}:apigateway:{r}::/restapis"),
        c("apigateway call whose resource cannot be told: *, not a guess", "apigateway", "GetStage",
            "{'stageName':'prod'}",
            "apigateway:GET *"),

        // CloudFormation, CloudFront
        c("cloudformation DescribeStacks: the stack id is unknown, so any", "cloudformation", "DescribeStacks",
            "{'stackName':'app'}",
            "cloudformation:DescribeStacks arn:{p}:cloudformation:{r}:{a}:stack/app/*"),
        c("cloudfront CreateInvalidation: distributions are global", "cloudfront", "CreateInvalidation",
            "{'distributionId':'E2QWRUHEXAMPLE','invalidationBatch':{}}",
            "cloudfront:CreateInvalidation arn:{p}:cloudfront::{a}:distribution/E2QWRUHEXAMPLE"),

        // Implicit iam:PassRole, from translation-rules.json passRole
        c("passRole: lambda CreateFunction passes its execution role", "lambda", "CreateFunction20150331",
            "{'functionName':'orders','role':'arn:{p}:iam::{a}:role/service-role/orders-role','runtime':'java17'}",
            "iam:PassRole arn:{p}:iam::{a}:role/service-role/orders-role ; lambda:CreateFunction arn:{p}:lambda:{r}:{a}:function:orders"),
        c("passRole: lambda UpdateFunctionCode passes none", "lambda", "UpdateFunctionCode20150331v2",
            "{'functionName':'orders','s3Bucket':'b','s3Key':'k'}",
            "lambda:UpdateFunctionCode arn:{p}:lambda:{r}:{a}:function:orders"),
        c("passRole: ecs RegisterTaskDefinition passes the task and execution roles", "ecs", "RegisterTaskDefinition",
            "{'family':'nightly','taskRoleArn':'arn:{p}:iam::{a}:role/task','executionRoleArn':'arn:{p}:iam::{a}:role/exec',"
                + "'containerDefinitions':[]}",
            "ecs:RegisterTaskDefinition arn:{p}:ecs:{r}:{a}:task-definition/nightly:* ; iam:PassRole arn:{p}:iam::{a}:role/exec"
                + " ; iam:PassRole arn:{p}:iam::{a}:role/task"),
        c("passRole: ecs RunTask with overridden roles", "ecs", "RunTask",
            "{'taskDefinition':'nightly:4','overrides':{'taskRoleArn':'arn:{p}:iam::{a}:role/other','containerOverrides':[]}}",
            "ecs:RunTask arn:{p}:ecs:{r}:{a}:task-definition/nightly:4 ; iam:PassRole arn:{p}:iam::{a}:role/other"),
        c("passRole: states CreateStateMachine", "states", "CreateStateMachine",
            "{'name':'orders','roleArn':'arn:{p}:iam::{a}:role/graphene/tests/sfn-role','definition':'{}'}",
            "iam:PassRole arn:{p}:iam::{a}:role/graphene/tests/sfn-role ; states:CreateStateMachine arn:{p}:states:{r}:{a}:stateMachine:orders"),
        c("passRole: events PutTargets, one role per target", "events", "PutTargets",
            "{'rule':'nightly','targets':[{'id':'1','arn':'arn:{p}:kinesis:{r}:{a}:stream/s','roleArn':'arn:{p}:iam::{a}:role/to-kinesis'},"
                + "{'id':'2','arn':'arn:{p}:lambda:{r}:{a}:function:f'}]}",
            "events:PutTargets arn:{p}:events:{r}:{a}:rule/nightly ; iam:PassRole arn:{p}:iam::{a}:role/to-kinesis"),
        c("passRole: scheduler CreateSchedule", "scheduler", "CreateSchedule",
            "{'name':'n','groupName':'ops','target':{'arn':'arn:{p}:lambda:{r}:{a}:function:f','roleArn':'arn:{p}:iam::{a}:role/sched'}}",
            "iam:PassRole arn:{p}:iam::{a}:role/sched ; scheduler:CreateSchedule arn:{p}:scheduler:{r}:{a}:schedule/ops/n"),
        c("passRole: cloudformation CreateStack with a service role", "cloudformation", "CreateStack",
            "{'stackName':'app','roleARN':'arn:{p}:iam::{a}:role/cfn','templateURL':'https://example.com/t.yaml'}",
            "cloudformation:CreateStack arn:{p}:cloudformation:{r}:{a}:stack/app/* ; iam:PassRole arn:{p}:iam::{a}:role/cfn"),
        c("passRole: glue CreateJob names its role by name", "glue", "CreateJob",
            "{'name':'etl','role':'GlueJobRole','command':{'name':'glueetl'}}",
            "glue:CreateJob arn:{p}:glue:{r}:{a}:job/etl ; iam:PassRole arn:{p}:iam::{a}:role/GlueJobRole"),
        c("passRole: sagemaker CreateModel", "sagemaker", "CreateModel",
            "{'modelName':'ranker','executionRoleArn':'arn:{p}:iam::{a}:role/sm-exec'}",
            "iam:PassRole arn:{p}:iam::{a}:role/sm-exec ; sagemaker:CreateModel arn:{p}:sagemaker:{r}:{a}:model/ranker"),
        c("passRole: codebuild StartBuild with a role override", "codebuild", "StartBuild",
            "{'projectName':'api','serviceRoleOverride':'arn:{p}:iam::{a}:role/cb'}",
            "codebuild:StartBuild arn:{p}:codebuild:{r}:{a}:project/api ; iam:PassRole arn:{p}:iam::{a}:role/cb"),
        c("passRole: ec2 RunInstances with an instance profile: any role of the profile's account", "ec2",
            "RunInstances",
            "{'instancesSet':{'items':[{'imageId':'ami-1'}]},'iamInstanceProfile':{'arn':'arn:{p}:iam::" + OTHER
                + ":instance-profile/web'}}",
            "ec2:RunInstances * ; iam:PassRole arn:{p}:iam::" + OTHER + ":role/*"),
        c("passRole: apigateway PutIntegration with credentials", "apigateway", "PutIntegration",
            "{'restApiId':'a1','resourceId':'r1','httpMethod':'POST','type':'AWS','credentials':'arn:{p}:iam::{a}:role/apigw'}",
            "apigateway:PUT arn:{p}:apigateway:{r}::/restapis/a1/resources/r1/methods/POST/integration ; iam:PassRole arn:{p}:iam::{a}:role/apigw"),
        c("passRole: states UpdateStateMachine", "states", "UpdateStateMachine",
            "{'stateMachineArn':'arn:{p}:states:{r}:{a}:stateMachine:orders','roleArn':'arn:{p}:iam::{a}:role/r2'}",
            "iam:PassRole arn:{p}:iam::{a}:role/r2 ; states:UpdateStateMachine arn:{p}:states:{r}:{a}:stateMachine:orders"));
  }

  static Stream<Arguments> casesInEveryPartition() {
    List<Arguments> all = new ArrayList<>();
    for (Case c : cases()) {
      for (String[] partition : PARTITIONS) {
        all.add(Arguments.of(c.description() + " [" + partition[0] + "]", c, partition[0], partition[1]));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("casesInEveryPartition")
  void derivesTheResourceInEveryPartition(String description, Case c, String partition, String region) {
    TestEvents builder =
        TestEvents.call(c.source(), c.name()).region(region).request(fill(c.request(), partition, region));
    for (String resource : c.resources()) {
      if (resource.startsWith("RESPONSE:")) {
        builder.response(fill(resource.substring("RESPONSE:".length()), partition, region));
      } else {
        builder.resource(fill(resource, partition, region), null);
      }
    }
    CloudTrailEvent event = builder.build();
    assertEquals(fill(c.expected(), partition, region), render(TRANSLATOR.translate(event)), description);
  }

  private static String fill(String template, String partition, String region) {
    return template.replace("{p}", partition).replace("{r}", region).replace("{a}", TestEvents.ACCOUNT);
  }

  static String render(Translation translation) {
    if (translation.outcome() != Outcome.MAPPED) {
      return translation.outcome().name() + ": " + translation.rule();
    }
    return translation.accesses().stream().map(a -> a.action() + " " + a.resource()).collect(Collectors.joining(" ; "));
  }
}
