import { Controller, Get, Header } from '@nestjs/common';
import { metrics } from '@app/observability';

@Controller('metrics')
export class MetricsController {
  /** Prometheus text format. */
  @Get()
  @Header('Content-Type', metrics.registry.contentType)
  scrape(): Promise<string> {
    return metrics.registry.metrics();
  }
}
