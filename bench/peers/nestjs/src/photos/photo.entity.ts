import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A row of Staylane's `photos` table, mapped read-only. */
@Entity({ name: 'photos' })
export class Photo {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'property_id' })
  propertyId: string;

  @Column('text')
  status: string;

  @Column('integer')
  position: number;

  @Column('text', { nullable: true })
  caption: string | null;

  @Column('text', { name: 'key_prefix' })
  keyPrefix: string;

  @Column('integer', { nullable: true })
  width: number | null;

  @Column('integer', { nullable: true })
  height: number | null;

  @Column('text', { nullable: true })
  blurhash: string | null;

  @Column('text', { name: 'failure_reason', nullable: true })
  failureReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
