// Throwaway PostgreSQL clusters and Redis servers live with the benchmark, which shares them with tests.
export * from '../../bench/services.js'
