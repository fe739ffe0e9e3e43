// @neo4j/graphql on c360graph's graph: the reference GraphQL-over-Neo4j library, set up as
// its "self-hosting GraphQL" guide does (Neo4jGraphQL + Apollo Server's standalone HTTP
// server), with c360graph's identity neighbourhood as type definitions (typeDefs.graphql).
// bench/api.py starts it beside `c360 serve` and sends both the same load.
//
// Environment: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE (the graph to serve);
// PORT (on 127.0.0.1; default 4000).
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const env = (name, fallback) => {
    const value = process.env[name] ?? fallback;
    if (value === undefined) {
        console.error(`${name} is not set: bench/api.py sets it from the local server's server.json`);
        process.exit(2);
    }
    return value;
};

const typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");
const driver = neo4j.driver(
    env("NEO4J_URI"),
    neo4j.auth.basic(env("NEO4J_USER", "neo4j"), env("NEO4J_PASSWORD")),
);
const database = env("NEO4J_DATABASE", "neo4j");
const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
const server = new ApolloServer({ schema: await neoSchema.getSchema() });
const { url } = await startStandaloneServer(server, {
    context: async ({ req }) => ({ req, sessionConfig: { database } }),
    listen: { host: "127.0.0.1", port: Number(env("PORT", "4000")) },
});
console.log(`ready at ${url}`);

const stop = async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
